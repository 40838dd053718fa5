package io.bakeguard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Bakeguard.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void keysGenerateWritesAnOwnerOnlyFileThatKeysShowReads() throws Exception {
        for (String curve : new String[] {"ed25519", "secp256k1", "p256", "bls"}) {
            Path key = dir.resolve(curve + ".key");
            Run gen = run("keys", "generate", "--curve", curve, "--out", key.toString());
            assertThat(gen.code()).as(gen.err()).isZero();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                    .isEqualTo("rw-------");
            String text = Files.readString(key);
            assertThat(text).startsWith("unencrypted:");
            Run show = run("keys", "show", key.toString());
            assertThat(show.code()).as(show.err()).isZero();
            String secret = text.strip().substring("unencrypted:".length());
            assertThat(gen.out()).contains("public key hash: tz").doesNotContain(secret);
            assertThat(show.out()).contains("public key hash: tz").doesNotContain(secret);
        }
    }

    @Test
    void keysGenerateEncryptsWithAPasswordFile() throws Exception {
        Path pass = dir.resolve("pass");
        Files.writeString(pass, "correct horse\n");
        Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-------"));
        Path key = dir.resolve("enc.key");
        Run gen = run(
                "keys",
                "generate",
                "--curve",
                "ed25519",
                "--encrypt",
                "--password-file",
                pass.toString(),
                "--out",
                key.toString());
        assertThat(gen.code()).as(gen.err()).isZero();
        assertThat(Files.readString(key)).startsWith("encrypted:edesk");
        assertThat(run("keys", "show", key.toString(), "--password-file", pass.toString())
                        .code())
                .isZero();
    }

    @Test
    void keysGenerateRefusesToOverwriteAndUnknownCurves() throws Exception {
        Path key = dir.resolve("k");
        Files.writeString(key, "x");
        Run again = run("keys", "generate", "--curve", "ed25519", "--out", key.toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("already exists").doesNotContain("\tat ");
        Run bad = run(
                "keys", "generate", "--curve", "rsa", "--out", dir.resolve("r").toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("unknown curve 'rsa'");
    }

    @Test
    void groupReadableSecretFilesAreRefusedWithTheChmodToRun() throws Exception {
        Path key = dir.resolve("open.key");
        assertThat(run("keys", "generate", "--curve", "ed25519", "--out", key.toString())
                        .code())
                .isZero();
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        Run show = run("keys", "show", key.toString());
        assertThat(show.code()).isEqualTo(1);
        assertThat(show.err()).contains("chmod 600 " + key);
    }

    @Test
    void usageErrorsExitWith2AndOneLine() {
        Run r = run("serve");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).contains("--config").doesNotContain("\n");
        assertThat(run("no-such-command").code()).isEqualTo(2);
        assertThat(run().code()).isEqualTo(2);
    }

    @Test
    void serveWithABadConfigExitsWith1AndSaysWhy() throws Exception {
        Path cfg = dir.resolve("bakeguard.yaml");
        Files.writeString(
                cfg, "node: {id: n1, data-dir: d}\ncluster: [{id: n1, raft: '127.0.0.1:1'}]\nsigner: {foo: 1}\n");
        Run r = run("serve", "--config", cfg.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("unknown key 'signer.foo' in " + cfg);
        assertThat(r.err().strip()).doesNotContain("\n");
    }
}
