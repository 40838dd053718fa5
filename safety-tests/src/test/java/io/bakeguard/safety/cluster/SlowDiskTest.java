package io.bakeguard.safety.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlowDiskTest {
    @TempDir
    Path dir;

    @Test
    void delaysEveryForceOfTheProcessByTheControlFilesMillisecondsAndStopsAtZero() throws Exception {
        SlowDisk disk = SlowDisk.build(dir.resolve("shim"));
        assumeTrue(
                disk.available(),
                "slow-disk fault not testable here: " + disk.unavailableReason()
                        + " (the fault-injection runs then skip SLOW_DISK and say so in their report)");
        Path control = dir.resolve("fsync-delay-ms");

        SlowDisk.setDelay(control, Duration.ofMillis(300));
        assertThat(forceMillis(disk, control, true)).as("fsync (force(true))").isGreaterThanOrEqualTo(300);
        assertThat(forceMillis(disk, control, false))
                .as("fdatasync (force(false))")
                .isGreaterThanOrEqualTo(300);
        assertThat(Files.readString(control, StandardCharsets.US_ASCII)).isEqualTo("300");

        // Zero ends the fault: the force still works (its data reaches the file).
        SlowDisk.setDelay(control, Duration.ZERO);
        assertThat(forceMillis(disk, control, true)).isGreaterThanOrEqualTo(0);
        assertThat(Files.size(dir.resolve("data"))).isEqualTo(3);
    }

    @Test
    void aMissingOrGarbledControlFileMeansNoDelayButTheShimStillLoads() throws Exception {
        SlowDisk disk = SlowDisk.build(dir.resolve("shim"));
        assumeTrue(disk.available(), "slow-disk fault not testable here: " + disk.unavailableReason());
        Path control = dir.resolve("never-written");
        assertThat(forceMillis(disk, control, true)).isGreaterThanOrEqualTo(0);
        Files.writeString(control, "not a number");
        assertThat(forceMillis(disk, control, false)).isGreaterThanOrEqualTo(0);
    }

    /** Runs {@link ForceProbe} in a child JVM with the shim preloaded; returns the force time it printed. */
    private long forceMillis(SlowDisk disk, Path control, boolean metadata) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ForceProbe.class.getName());
        cmd.add(dir.resolve("data").toString());
        cmd.add(Boolean.toString(metadata));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(disk.environment(control));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        String[] lines = out.split("\\R");
        return Long.parseLong(lines[lines.length - 1].strip());
    }
}
