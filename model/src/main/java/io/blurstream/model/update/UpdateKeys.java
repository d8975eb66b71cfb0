package io.blurstream.model.update;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys that sign and verify model updates, and their files.
 *
 * <ul>
 *   <li><b>HMAC-SHA256</b>: one shared secret of at least 32 bytes signs and verifies. Its file
 *       holds the secret as base64 text (what {@code openssl rand -base64 32} prints).
 *   <li><b>Ed25519</b>: the trainer signs with a private key, the job verifies with the public key,
 *       so the job's hosts hold nothing that could sign. The files are standard PEM, {@code PRIVATE
 *       KEY} (PKCS #8) and {@code PUBLIC KEY} (X.509), as {@code openssl genpkey -algorithm
 *       ed25519} writes them.
 * </ul>
 *
 * Both come from the JDK (Java 15+ has Ed25519), so there is no crypto dependency.
 */
public final class UpdateKeys {

    public static final String HMAC_SHA256 = "HMAC-SHA256";
    public static final String ED25519 = "Ed25519";

    /** Shortest HMAC secret accepted: the output size of SHA-256. */
    public static final int MIN_HMAC_BYTES = 32;

    private static final String PRIVATE_PEM = "PRIVATE KEY";
    private static final String PUBLIC_PEM = "PUBLIC KEY";

    private UpdateKeys() {}

    /** An HMAC-SHA256 key: signs and verifies. */
    public static Hmac hmac(byte[] secret) {
        return new Hmac(secret);
    }

    /** A new random HMAC-SHA256 secret of 32 bytes. */
    public static byte[] newHmacSecret() {
        byte[] secret = new byte[MIN_HMAC_BYTES];
        new SecureRandom().nextBytes(secret);
        return secret;
    }

    /** A new Ed25519 key pair. */
    public static KeyPair newEd25519KeyPair() {
        try {
            return KeyPairGenerator.getInstance(ED25519).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no Ed25519 (Java 15+ has)", e);
        }
    }

    /** Signs with an Ed25519 private key. */
    public static UpdateSigner ed25519Signer(PrivateKey key) {
        checkEd25519(key.getAlgorithm());
        return new Ed25519Signer(key.getEncoded());
    }

    /** Verifies with an Ed25519 public key. */
    public static UpdateVerifier ed25519Verifier(PublicKey key) {
        checkEd25519(key.getAlgorithm());
        return new Ed25519Verifier(key.getEncoded());
    }

    /** Writes {@code secret} as an HMAC key file (base64 text). */
    public static void writeHmacSecret(byte[] secret, Path file) throws IOException {
        Files.writeString(file, Base64.getEncoder().encodeToString(secret) + "\n");
    }

    /** Writes a key as a PEM file ({@code PRIVATE KEY} or {@code PUBLIC KEY}). */
    public static void writePem(java.security.Key key, Path file) throws IOException {
        String label = key instanceof PrivateKey ? PRIVATE_PEM : PUBLIC_PEM;
        String body =
                Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(key.getEncoded());
        Files.writeString(
                file, "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n");
    }

    /**
     * The signer a key file stands for: an Ed25519 {@code PRIVATE KEY} PEM, or an HMAC secret.
     *
     * @throws IllegalArgumentException if the file is neither, or is a public key
     */
    public static UpdateSigner signerFromFile(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (text.contains("-----BEGIN " + PRIVATE_PEM + "-----")) {
            return new Ed25519Signer(pemBody(text, PRIVATE_PEM, file));
        }
        if (text.contains("-----BEGIN " + PUBLIC_PEM + "-----")) {
            throw new IllegalArgumentException(
                    file + " is a public key: it verifies updates but cannot sign them");
        }
        return hmac(hmacSecret(text, file));
    }

    /**
     * The verifier a key file stands for: an Ed25519 {@code PUBLIC KEY} PEM, or an HMAC secret.
     *
     * @throws IllegalArgumentException if the file is neither, or is a private key
     */
    public static UpdateVerifier verifierFromFile(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (text.contains("-----BEGIN " + PUBLIC_PEM + "-----")) {
            return new Ed25519Verifier(pemBody(text, PUBLIC_PEM, file));
        }
        if (text.contains("-----BEGIN " + PRIVATE_PEM + "-----")) {
            throw new IllegalArgumentException(
                    file
                            + " is a private key: give the job the public key, the private key"
                            + " stays with whoever signs");
        }
        return hmac(hmacSecret(text, file));
    }

    private static byte[] hmacSecret(String text, Path file) {
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(text.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    file
                            + " is neither a PEM key nor an HMAC secret in base64 (make one with"
                            + " `blurstream keygen` or `openssl rand -base64 32`)");
        }
        if (secret.length < MIN_HMAC_BYTES) {
            throw new IllegalArgumentException(
                    file
                            + " holds an HMAC secret of "
                            + secret.length
                            + " bytes; at least "
                            + MIN_HMAC_BYTES
                            + " are needed");
        }
        return secret;
    }

    private static byte[] pemBody(String text, String label, Path file) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = text.indexOf(begin) + begin.length();
        int to = text.indexOf(end, from);
        if (to < 0) {
            throw new IllegalArgumentException(file + ": no " + end + " line");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from, to));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": the PEM body is not base64");
        }
    }

    private static void checkEd25519(String algorithm) {
        if (!algorithm.equals(ED25519) && !algorithm.equals("EdDSA")) {
            throw new IllegalArgumentException("not an Ed25519 key: " + algorithm);
        }
    }

    /** An HMAC-SHA256 secret. */
    public static final class Hmac implements UpdateSigner, UpdateVerifier {
        private static final long serialVersionUID = 1L;
        private final byte[] secret;

        private Hmac(byte[] secret) {
            if (secret.length < MIN_HMAC_BYTES) {
                throw new IllegalArgumentException(
                        "an HMAC-SHA256 secret needs at least "
                                + MIN_HMAC_BYTES
                                + " bytes, got "
                                + secret.length);
            }
            this.secret = secret.clone();
        }

        @Override
        public String algorithm() {
            return HMAC_SHA256;
        }

        @Override
        public byte[] sign(byte[] message) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret, "HmacSHA256"));
                return mac.doFinal(message);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("every JVM has HmacSHA256", e);
            }
        }

        @Override
        public boolean verify(byte[] message, byte[] signature) {
            // constant time, so the comparison leaks nothing about the expected MAC
            return MessageDigest.isEqual(sign(message), signature);
        }
    }

    private static final class Ed25519Signer implements UpdateSigner {
        private final byte[] pkcs8;

        Ed25519Signer(byte[] pkcs8) {
            this.pkcs8 = pkcs8;
            key(); // fail now on a bad key, not at the first signature
        }

        private PrivateKey key() {
            try {
                return KeyFactory.getInstance(ED25519)
                        .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("not an Ed25519 private key: " + e, e);
            }
        }

        @Override
        public String algorithm() {
            return ED25519;
        }

        @Override
        public byte[] sign(byte[] message) {
            try {
                Signature signature = Signature.getInstance(ED25519);
                signature.initSign(key());
                signature.update(message);
                return signature.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Ed25519 signing failed", e);
            }
        }
    }

    private static final class Ed25519Verifier implements UpdateVerifier {
        private static final long serialVersionUID = 1L;
        private final byte[] x509;
        private transient PublicKey key;

        Ed25519Verifier(byte[] x509) {
            this.x509 = x509;
            key();
        }

        private PublicKey key() {
            if (key == null) {
                try {
                    key =
                            KeyFactory.getInstance(ED25519)
                                    .generatePublic(new X509EncodedKeySpec(x509));
                } catch (GeneralSecurityException e) {
                    throw new IllegalArgumentException("not an Ed25519 public key: " + e, e);
                }
            }
            return key;
        }

        @Override
        public String algorithm() {
            return ED25519;
        }

        @Override
        public boolean verify(byte[] message, byte[] signature) {
            try {
                Signature verifier = Signature.getInstance(ED25519);
                verifier.initVerify(key());
                verifier.update(message);
                return verifier.verify(signature);
            } catch (InvalidKeyException e) {
                throw new IllegalStateException("the Ed25519 public key became unusable", e);
            } catch (SignatureException e) {
                return false; // malformed signature bytes: not a valid signature
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JVM has no Ed25519", e);
            }
        }
    }
}
