package io.blurstream.model.update;

import java.io.Serializable;

/**
 * Checks the signature of model-topic messages. Serializable, because a Flink function carries it
 * to every task; see {@link UpdateKeys}.
 */
public interface UpdateVerifier extends Serializable {

    /** The algorithm it checks: {@code HMAC-SHA256} or {@code Ed25519}. */
    String algorithm();

    /** Whether {@code signature} is a valid signature of {@code message} under this key. */
    boolean verify(byte[] message, byte[] signature);
}
