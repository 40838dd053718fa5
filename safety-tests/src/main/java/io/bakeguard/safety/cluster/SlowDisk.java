package io.bakeguard.safety.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The slow-disk fault: {@code slowfsync.c} (a resource next to this class), compiled with the machine's C compiler
 * into a library that the replica JVMs load with {@code LD_PRELOAD}. It delays every {@code fsync} and
 * {@code fdatasync} of a replica by the number of milliseconds in that replica's control file, which the nemesis
 * writes; no root, no restart. Where there is no C compiler, or the platform is not Linux, the fault is not
 * available and {@link #unavailableReason()} says why.
 */
public final class SlowDisk {
    /** The environment variable the library reads the control file's path from. */
    static final String DELAY_FILE_VARIABLE = "SLOWFSYNC_DELAY_FILE";

    private final Optional<Path> library;
    private final String unavailableReason;

    private SlowDisk(Optional<Path> library, String unavailableReason) {
        this.library = library;
        this.unavailableReason = unavailableReason;
    }

    /** Compiles the library into {@code dir}; never fails, but may return an unavailable slow disk. */
    public static SlowDisk build(Path dir) {
        if (!System.getProperty("os.name", "")
                .toLowerCase(java.util.Locale.ROOT)
                .contains("linux")) {
            return new SlowDisk(
                    Optional.empty(), "LD_PRELOAD fsync shim is Linux only, this is " + System.getProperty("os.name"));
        }
        try {
            Files.createDirectories(dir);
            Path source = dir.resolve("slowfsync.c");
            try (InputStream in = SlowDisk.class.getResourceAsStream("slowfsync.c")) {
                if (in == null) {
                    return new SlowDisk(Optional.empty(), "slowfsync.c is missing from the class path");
                }
                Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
            }
            Path lib = dir.resolve("slowfsync.so");
            Path log = dir.resolve("slowfsync-cc.log");
            Process cc = new ProcessBuilder(
                            List.of("cc", "-shared", "-fPIC", "-O2", "-o", lib.toString(), source.toString(), "-ldl"))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!cc.waitFor(60, TimeUnit.SECONDS)) {
                cc.destroyForcibly();
                return new SlowDisk(Optional.empty(), "cc did not finish within 60 s");
            }
            if (cc.exitValue() != 0 || !Files.isRegularFile(lib)) {
                return new SlowDisk(
                        Optional.empty(),
                        "cc failed (exit " + cc.exitValue() + "): "
                                + Files.readString(log).strip());
            }
            return new SlowDisk(Optional.of(lib), "");
        } catch (IOException e) {
            // Typically: no cc on PATH. Debian: apt-get install gcc (.ci/prepare does).
            return new SlowDisk(Optional.empty(), "no C compiler to build the fsync shim (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SlowDisk(Optional.empty(), "interrupted while compiling the fsync shim");
        }
    }

    public boolean available() {
        return library.isPresent();
    }

    /** Why the fault cannot be injected; empty when it can. */
    public String unavailableReason() {
        return unavailableReason;
    }

    /** The environment a replica whose control file is {@code delayFile} runs with (empty when unavailable). */
    Map<String, String> environment(Path delayFile) {
        return library.map(lib -> Map.of("LD_PRELOAD", lib.toString(), DELAY_FILE_VARIABLE, delayFile.toString()))
                .orElse(Map.of());
    }

    /** Sets the fsync delay of the replica whose control file is {@code delayFile}; zero ends the fault. */
    static void setDelay(Path delayFile, Duration delay) throws IOException {
        Path tmp = delayFile.resolveSibling(delayFile.getFileName() + ".tmp");
        Files.writeString(tmp, Long.toString(Math.max(0, delay.toMillis())), StandardCharsets.US_ASCII);
        // Atomic, so that the library never reads a half-written number.
        Files.move(tmp, delayFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
