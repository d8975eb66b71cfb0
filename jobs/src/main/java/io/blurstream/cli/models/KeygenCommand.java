package io.blurstream.cli.models;

import io.blurstream.cli.Arguments;
import io.blurstream.cli.Blurstream;
import io.blurstream.cli.Command;
import io.blurstream.cli.Console;
import io.blurstream.model.update.UpdateKeys;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;

/** {@code blurstream keygen}: the keys that sign model updates. */
public final class KeygenCommand implements Command {

    @Override
    public String name() {
        return "keygen";
    }

    @Override
    public String summary() {
        return "Make a key that signs model updates (HMAC-SHA256 secret or Ed25519 pair)";
    }

    @Override
    public String usage() {
        return """
        Usage: blurstream keygen --hmac FILE
               blurstream keygen --ed25519 PRIVATE_FILE --public PUBLIC_FILE

        The forecast job accepts only model updates signed with its key
        (option blur.models.key-file). Two kinds:

          --hmac FILE        a 32-byte HMAC-SHA256 secret as base64 text. The
                             same file signs (publish-model, refit) and
                             verifies (the job).
          --ed25519 FILE     an Ed25519 private key (PEM, PKCS #8) that signs,
          --public FILE      and its public key (PEM, X.509) that the job
                             verifies with: the job's hosts hold nothing that
                             could sign.

        Existing files are never overwritten; secret files are made readable by
        their owner only where the file system allows.

        Examples:
          blurstream keygen --hmac models.key
          blurstream keygen --ed25519 signing.pem --public verifying.pem
        """;
    }

    @Override
    public int run(Arguments args, Console console) throws Exception {
        args.checkOptions("hmac", "ed25519", "public");
        args.checkPositionals(0);
        String hmac = args.string("hmac", null);
        String ed25519 = args.string("ed25519", null);
        String publicFile = args.string("public", null);
        if ((hmac == null) == (ed25519 == null)) {
            throw new IllegalArgumentException("give either --hmac FILE or --ed25519 FILE");
        }
        if (hmac != null) {
            if (publicFile != null) {
                throw new IllegalArgumentException("--public goes with --ed25519");
            }
            Path file = fresh(Path.of(hmac));
            UpdateKeys.writeHmacSecret(UpdateKeys.newHmacSecret(), file);
            ownerOnly(file);
            console.println("HMAC-SHA256 secret written to " + file);
            console.println("sign with it and give the job blur.models.key-file: " + file);
            return Blurstream.EXIT_OK;
        }
        if (publicFile == null) {
            throw new IllegalArgumentException("--ed25519 needs --public FILE for the public key");
        }
        Path privatePath = fresh(Path.of(ed25519));
        Path publicPath = fresh(Path.of(publicFile));
        KeyPair pair = UpdateKeys.newEd25519KeyPair();
        UpdateKeys.writePem(pair.getPrivate(), privatePath);
        ownerOnly(privatePath);
        UpdateKeys.writePem(pair.getPublic(), publicPath);
        console.println("Ed25519 private key written to " + privatePath + " (signs)");
        console.println(
                "Ed25519 public key written to "
                        + publicPath
                        + " (give the job blur.models.key-file: "
                        + publicPath
                        + ")");
        return Blurstream.EXIT_OK;
    }

    private static Path fresh(Path file) throws IOException {
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(
                    file.toString(), null, "keygen never overwrites a key; remove it first");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return file;
    }

    private static void ownerOnly(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: the user's own permissions apply
        }
    }
}
