package io.bakeguard.app;

import io.bakeguard.app.config.ConfigException;
import io.bakeguard.core.key.Curve;
import io.bakeguard.core.key.KeyFormatException;
import io.bakeguard.core.key.SecretKey;
import java.io.Console;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bakeguard keys generate|show}. */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "Create and inspect secret key files.",
        subcommands = {KeysCommand.Generate.class, KeysCommand.Show.class})
final class KeysCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give generate or show");
    }

    @Command(
            name = "generate",
            mixinStandardHelpOptions = true,
            description = "Generate a key and write it in octez format to a new file readable by you only.")
    static final class Generate implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--curve", required = true, description = "ed25519, secp256k1, p256 or bls")
        String curve;

        @Option(names = "--encrypt", description = "encrypt the key with a password (octez encrypted: format)")
        boolean encrypt;

        @Option(
                names = "--password-file",
                paramLabel = "FILE",
                description = "read the password from FILE (else $" + KeyLoader.PASSWORD_ENV + " or a prompt)")
        Path passwordFile;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "the key file to create")
        Path out;

        @Override
        public Integer call() throws Exception {
            Curve c = Curve.ofCliName(curve)
                    .orElseThrow(() -> new Bakeguard.UserException(
                            "unknown curve '" + curve + "': use ed25519, secp256k1, p256 or bls"));
            if (Files.exists(out)) {
                throw new Bakeguard.UserException(out + " already exists: choose another --out or remove it");
            }
            SecureRandom rnd = new SecureRandom();
            SecretKey key = SecretKey.generate(c, rnd);
            String text;
            if (encrypt) {
                char[] password = password();
                text = key.toEncrypted(password, rnd);
                Arrays.fill(password, '\0');
            } else {
                text = "unencrypted:" + key.toBase58();
            }
            try {
                SecretFiles.writeNew(out, text + "\n");
            } catch (FileAlreadyExistsException e) {
                throw new Bakeguard.UserException(out + " already exists: choose another --out or remove it");
            } catch (IOException e) {
                throw new Bakeguard.UserException("cannot write " + out + ": " + e.getMessage());
            }
            printPublicKey(spec, key);
            spec.commandLine().getOut().println("written to:      " + out + (encrypt ? " (encrypted)" : ""));
            return 0;
        }

        private char[] password() throws Exception {
            if (passwordFile != null) {
                return SecretFiles.password(SecretFiles.read(passwordFile, "password file"));
            }
            String env = System.getenv(KeyLoader.PASSWORD_ENV);
            if (env != null) {
                return env.toCharArray();
            }
            Console console = System.console();
            if (console == null) {
                throw new Bakeguard.UserException("--encrypt needs a password: give --password-file FILE, set "
                        + KeyLoader.PASSWORD_ENV + ", or run in a terminal");
            }
            char[] a = console.readPassword("password: ");
            char[] b = console.readPassword("again: ");
            if (a == null || b == null || a.length == 0 || !Arrays.equals(a, b)) {
                throw new Bakeguard.UserException("the passwords are empty or differ; run again");
            }
            Arrays.fill(b, '\0');
            return a;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Print the public key and public key hash of a key file (never the secret).")
    static final class Show implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "a key file (unencrypted: or encrypted: octez format)")
        Path file;

        @Option(names = "--password-file", paramLabel = "FILE", description = "password of an encrypted key")
        Path passwordFile;

        @Override
        public Integer call() throws Exception {
            String text = SecretFiles.read(file, "secret key file").strip();
            Optional<char[]> password = Optional.empty();
            if (passwordFile != null) {
                password = Optional.of(SecretFiles.password(SecretFiles.read(passwordFile, "password file")));
            } else if (text.startsWith("encrypted:") && System.getenv(KeyLoader.PASSWORD_ENV) != null) {
                password = Optional.of(System.getenv(KeyLoader.PASSWORD_ENV).toCharArray());
            } else if (text.startsWith("encrypted:") && System.console() != null) {
                password = Optional.ofNullable(System.console().readPassword("password: "));
            }
            SecretKey key;
            try {
                key = SecretKey.parse(text, password);
            } catch (KeyFormatException e) {
                throw new ConfigException("cannot read " + file + ": " + e.getMessage()
                        + (text.startsWith("encrypted:") && password.isEmpty()
                                ? " (encrypted: give --password-file or set " + KeyLoader.PASSWORD_ENV + ")"
                                : ""));
            }
            spec.commandLine()
                    .getOut()
                    .println("curve:           " + key.curve().cliName());
            printPublicKey(spec, key);
            return 0;
        }
    }

    /** The two lines both subcommands print: the key's hash (what bakers and octez name it by) and its public key. */
    private static void printPublicKey(picocli.CommandLine.Model.CommandSpec spec, SecretKey key) {
        spec.commandLine()
                .getOut()
                .println("public key hash: " + key.publicKey().hash());
        spec.commandLine()
                .getOut()
                .println("public key:      " + key.publicKey().toBase58());
    }
}
