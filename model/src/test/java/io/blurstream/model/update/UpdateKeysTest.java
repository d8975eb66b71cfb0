package io.blurstream.model.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpdateKeysTest {

    static final byte[] MESSAGE = "header".getBytes(StandardCharsets.UTF_8);

    @Test
    void hmacKeyFilesRoundTripAndShortSecretsAreRefused(@TempDir Path dir) throws Exception {
        byte[] secret = UpdateKeys.newHmacSecret();
        Path file = dir.resolve("hmac.key");
        UpdateKeys.writeHmacSecret(secret, file);
        UpdateSigner signer = UpdateKeys.signerFromFile(file);
        UpdateVerifier verifier = UpdateKeys.verifierFromFile(file);
        assertThat(signer.algorithm()).isEqualTo(UpdateKeys.HMAC_SHA256);
        assertThat(verifier.verify(MESSAGE, signer.sign(MESSAGE))).isTrue();
        assertThat(verifier.verify(MESSAGE, new byte[32])).isFalse();

        Files.writeString(dir.resolve("short.key"), "c2hvcnQ=\n");
        assertThatThrownBy(() -> UpdateKeys.verifierFromFile(dir.resolve("short.key")))
                .hasMessageContaining("HMAC secret of 5 bytes; at least 32");
        Files.writeString(dir.resolve("junk.key"), "not base64 at all!");
        assertThatThrownBy(() -> UpdateKeys.signerFromFile(dir.resolve("junk.key")))
                .hasMessageContaining("neither a PEM key nor an HMAC secret");
    }

    @Test
    void ed25519PemFilesSplitSigningFromVerifying(@TempDir Path dir) throws Exception {
        var pair = UpdateKeys.newEd25519KeyPair();
        Path privateFile = dir.resolve("signing.pem");
        Path publicFile = dir.resolve("verifying.pem");
        UpdateKeys.writePem(pair.getPrivate(), privateFile);
        UpdateKeys.writePem(pair.getPublic(), publicFile);
        assertThat(Files.readString(publicFile)).startsWith("-----BEGIN PUBLIC KEY-----");

        UpdateSigner signer = UpdateKeys.signerFromFile(privateFile);
        UpdateVerifier verifier = UpdateKeys.verifierFromFile(publicFile);
        assertThat(verifier.verify(MESSAGE, signer.sign(MESSAGE))).isTrue();
        assertThat(verifier.verify("other".getBytes(StandardCharsets.UTF_8), signer.sign(MESSAGE)))
                .isFalse();
        assertThat(verifier.verify(MESSAGE, new byte[3])).isFalse();

        assertThatThrownBy(() -> UpdateKeys.verifierFromFile(privateFile))
                .hasMessageContaining("is a private key");
        assertThatThrownBy(() -> UpdateKeys.signerFromFile(publicFile))
                .hasMessageContaining("is a public key");
    }

    @Test
    void verifiersSurviveJavaSerialisationAsAFlinkFunctionFieldDoes() throws Exception {
        var pair = UpdateKeys.newEd25519KeyPair();
        UpdateSigner signer = UpdateKeys.ed25519Signer(pair.getPrivate());
        for (UpdateVerifier verifier :
                new UpdateVerifier[] {
                    UpdateKeys.ed25519Verifier(pair.getPublic()), UpdateKeys.hmac(new byte[40])
                }) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(verifier);
            }
            UpdateVerifier copy;
            try (ObjectInputStream in =
                    new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                copy = (UpdateVerifier) in.readObject();
            }
            UpdateSigner sign = verifier instanceof UpdateKeys.Hmac hmac ? hmac : signer;
            assertThat(copy.verify(MESSAGE, sign.sign(MESSAGE))).isTrue();
        }
    }
}
