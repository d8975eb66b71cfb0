package io.blurstream.model.update;

/** Signs the header of model-topic messages; see {@link UpdateKeys} for the two algorithms. */
public interface UpdateSigner {

    /** The algorithm's name as written into headers: {@code HMAC-SHA256} or {@code Ed25519}. */
    String algorithm();

    /** The signature of {@code message}. */
    byte[] sign(byte[] message);
}
