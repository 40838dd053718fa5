package io.bakeguard.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bakeguard serve} JVMs as the harnesses start and end them: the acceptance tests (http-api), the
 * deploy tests, the fault-injection suite and the load tool. Each keeps its own replica class; the command, the
 * environment, the logs and the ways a replica ends are the same everywhere and live here.
 */
public final class ServeJvm {
    /** The main class of the {@code bakeguard} command (module http-api). */
    public static final String MAIN_CLASS = "io.bakeguard.app.Bakeguard";

    /** Options for small, quick-starting replicas in tests (C1 only: a test replica signs little). */
    public static final List<String> SMALL = List.of("-Xmx192m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /** How long {@link #kill} waits for a SIGKILLed process to be gone. */
    static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private ServeJvm() {}

    /** {@code java OPTIONS -cp CLASSPATH io.bakeguard.app.Bakeguard serve --config CONFIG}, with this JVM's java. */
    public static List<String> command(List<String> jvmOptions, String classpath, Path config) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(MAIN_CLASS);
        cmd.add("serve");
        cmd.add("--config");
        cmd.add(config.toString());
        return cmd;
    }

    /**
     * Starts {@code command} in {@code dir}, appending its standard output to {@code stdout} and its standard error
     * to {@code stderr} (the same path: one log with both). This environment's {@code BAKEGUARD_*} variables are not
     * passed on, since they would override the harness' config file (design.md s.3); {@code extraEnv} is added.
     */
    public static Process start(List<String> command, Path dir, Path stdout, Path stderr, Map<String, String> extraEnv)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("BAKEGUARD_"));
        pb.environment().putAll(extraEnv);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()));
        if (stdout.equals(stderr)) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        }
        return pb.start();
    }

    /**
     * A {@link #SMALL} replica from this JVM's class path (which must hold http-api), in {@code dir}, logging to
     * {@code dir/stdout.log} and {@code dir/stderr.log}.
     */
    public static Process startSmall(Path config, Path dir) throws IOException {
        return start(
                command(SMALL, System.getProperty("java.class.path"), config),
                dir,
                dir.resolve("stdout.log"),
                dir.resolve("stderr.log"),
                Map.of());
    }

    /** SIGKILL (a crash); true when the process is gone within {@link #KILL_WAIT}. */
    public static boolean kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        return p.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGTERM (bakeguard's orderly shutdown), then SIGKILL if the process is still there after {@code grace}. */
    public static void stop(Process p, Duration grace) throws InterruptedException {
        if (!p.isAlive()) {
            return;
        }
        p.destroy();
        if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            kill(p);
        }
    }
}
