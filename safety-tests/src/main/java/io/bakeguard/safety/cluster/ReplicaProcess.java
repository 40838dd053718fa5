package io.bakeguard.safety.cluster;

import io.bakeguard.testkit.ServeJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One {@code bakeguard serve --config FILE} JVM: started, SIGKILLed, SIGSTOPped and SIGCONTed by the harness.
 * Output goes to a log file next to its config (appended across restarts).
 */
public final class ReplicaProcess {
    private final String id;
    private final List<String> command;
    private final Path logFile;
    private final Map<String, String> environment;
    private Process process;
    private boolean paused;
    private int starts;

    public ReplicaProcess(String id, List<String> command, Path logFile) {
        this(id, command, logFile, Map.of());
    }

    /** @param environment variables added to the replica's environment (e.g. the slow-disk shim) */
    public ReplicaProcess(String id, List<String> command, Path logFile, Map<String, String> environment) {
        this.id = id;
        this.command = List.copyOf(command);
        this.logFile = logFile;
        this.environment = Map.copyOf(environment);
    }

    public String id() {
        return id;
    }

    public Path logFile() {
        return logFile;
    }

    public synchronized int starts() {
        return starts;
    }

    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(id + " is already running (pid " + process.pid() + ")");
        }
        process = ServeJvm.start(command, logFile.getParent(), logFile, logFile, environment);
        paused = false;
        starts++;
    }

    public synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    public synchronized boolean paused() {
        return paused;
    }

    public synchronized Optional<Long> pid() {
        return process == null ? Optional.empty() : Optional.of(process.pid());
    }

    /** SIGKILL (Process.destroyForcibly on Unix), then waits up to 10 s for the process to be gone. */
    public synchronized void kill9() throws InterruptedException {
        if (process == null) {
            return;
        }
        if (!ServeJvm.kill(process)) {
            throw new IllegalStateException(id + " (pid " + process.pid() + ") survived SIGKILL");
        }
        paused = false;
    }

    /** SIGSTOP: the JVM freezes with its sockets open, as a long GC pause or a stalled VM would. */
    public synchronized void pause() throws IOException, InterruptedException {
        signal("STOP");
        paused = true;
    }

    /** SIGCONT after {@link #pause()}. */
    public synchronized void resume() throws IOException, InterruptedException {
        signal("CONT");
        paused = false;
    }

    private void signal(String sig) throws IOException, InterruptedException {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException(id + " is not running, cannot send SIG" + sig);
        }
        Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid()))
                .redirectErrorStream(true)
                .start();
        if (!kill.waitFor(5, TimeUnit.SECONDS)) {
            kill.destroyForcibly();
            throw new IOException("kill -" + sig + " " + process.pid() + " did not finish in 5 s");
        }
        if (kill.exitValue() != 0) {
            throw new IOException("kill -" + sig + " " + process.pid() + " exited with " + kill.exitValue() + ": "
                    + new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
