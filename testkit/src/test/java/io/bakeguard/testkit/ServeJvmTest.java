package io.bakeguard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs /bin/sh in place of a replica: the environment, the logs and the endings are what is tested. */
class ServeJvmTest {
    @Test
    void theServeCommandUsesThisJavaTheOptionsAndTheConfig() {
        List<String> cmd = ServeJvm.command(ServeJvm.SMALL, "a.jar:b.jar", Path.of("/etc/bakeguard.yaml"));
        assertThat(cmd.get(0))
                .isEqualTo(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString());
        assertThat(cmd.subList(1, cmd.size()))
                .containsExactly(
                        "-Xmx192m",
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-cp",
                        "a.jar:b.jar",
                        ServeJvm.MAIN_CLASS,
                        "serve",
                        "--config",
                        "/etc/bakeguard.yaml");
    }

    @Test
    void bakeguardVariablesAreNotPassedOnExtraOnesAreAndLogsAreAppended(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("stdout.log");
        Path err = dir.resolve("stderr.log");
        Files.writeString(out, "earlier run\n");
        assumeTrue(
                System.getenv("BAKEGUARD_SIGNER_LISTEN") != null,
                "BAKEGUARD_SIGNER_LISTEN is not set (testkit/pom.xml sets it for surefire): nothing to strip");
        List<String> cmd =
                List.of("/bin/sh", "-c", "pwd; echo \"extra=$EXTRA\"; env | grep '^BAKEGUARD_'; echo oops >&2");
        Process p = ServeJvm.start(cmd, dir, out, err, Map.of("EXTRA", "1", "BAKEGUARD_FROM_EXTRA", "kept"));
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readAllLines(out))
                .containsExactly("earlier run", dir.toRealPath().toString(), "extra=1", "BAKEGUARD_FROM_EXTRA=kept");
        assertThat(Files.readString(err)).isEqualTo("oops\n");
    }

    @Test
    void oneLogTakesBothStreams(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("replica.log");
        Process p = ServeJvm.start(List.of("/bin/sh", "-c", "echo out; echo err >&2"), dir, log, log, Map.of());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readAllLines(log)).containsExactlyInAnyOrder("out", "err");
    }

    @Test
    void stopEndsAProcessThatIgnoresSigtermByKillingIt(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("log");
        Process stubborn = ServeJvm.start(
                List.of("/bin/sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.1; done"),
                dir,
                log,
                log,
                Map.of());
        awaitLine(log, "ready");
        ServeJvm.stop(stubborn, Duration.ofMillis(300));
        assertThat(stubborn.isAlive()).isFalse();
        assertThat(stubborn.exitValue()).isEqualTo(128 + 9);

        Process polite = ServeJvm.start(List.of("/bin/sh", "-c", "sleep 60"), dir, log, log, Map.of());
        ServeJvm.stop(polite, Duration.ofSeconds(10));
        assertThat(polite.exitValue()).isEqualTo(128 + 15);
        assertThat(ServeJvm.kill(polite)).as("killing a process that is gone").isTrue();
    }

    private static void awaitLine(Path log, String line) throws Exception {
        for (int i = 0; i < 300; i++) {
            if (Files.exists(log) && Files.readAllLines(log).contains(line)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(line + " not in " + log + " within 3 s");
    }
}
