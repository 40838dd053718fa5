package io.bakeguard.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** External commands (promtool, systemd-analyze, docker) run with a bound on their time. */
final class Commands {
    private Commands() {}

    /** Exit code and the merged stdout and stderr. */
    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    /** The executable named {@code name} on the PATH. */
    static Optional<Path> which(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static Result run(Duration timeout, String... cmd) {
        return run(timeout, null, List.of(cmd));
    }

    /**
     * Runs {@code cmd}, feeding it {@code stdin} when given; a command that outlives {@code timeout} is
     * killed and fails the test with what it printed.
     */
    static Result run(Duration timeout, byte[] stdin, List<String> cmd) {
        Process p;
        try {
            p = new ProcessBuilder(new ArrayList<>(cmd))
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + cmd + ": " + e.getMessage(), e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(p.getInputStream(), out), "output-of-" + cmd.get(0));
        reader.setDaemon(true);
        reader.start();
        try {
            if (stdin != null) {
                p.getOutputStream().write(stdin);
            }
            p.getOutputStream().close();
        } catch (IOException e) {
            // the command exited without reading: its exit code tells why
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                reader.join(2000);
                throw new AssertionError(cmd + " did not finish within " + timeout + "; it printed:\n" + text(out));
            }
            reader.join(5000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + cmd, e);
        }
        return new Result(p.exitValue(), text(out));
    }

    /** Like {@link #run} but fails the test unless the command exits 0. */
    static String check(Duration timeout, String... cmd) {
        Result r = run(timeout, cmd);
        if (!r.ok()) {
            throw new AssertionError(String.join(" ", cmd) + " exited " + r.exit() + ":\n" + r.output());
        }
        return r.output();
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (out) {
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private static String text(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
