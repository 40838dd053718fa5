package io.bakeguard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.bakeguard.testkit.LogTail;
import io.bakeguard.testkit.LoopbackPorts;
import io.bakeguard.testkit.ServeJvm;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * N real {@code bakeguard serve} JVMs on loopback, each with its own data directory, started from a
 * classpath (the build's or a distribution's {@code lib/*}). With a one-way delay, every replica's
 * Raft peers are reached through a {@link DelayProxy}: replica i's config lists its own real Raft
 * address and the proxies of the others, so leader-to-follower traffic crosses the delayed link.
 */
final class ReplicaCluster implements AutoCloseable {
    /** How to start the replicas. */
    record Settings(
            String classpath,
            List<String> jvmOptions,
            String keysBlock,
            Duration oneWayDelay,
            Optional<Duration> electionMin,
            Optional<Duration> electionMax,
            String requestTimeout) {}

    final class Replica {
        final String id;
        final Path dir;
        final int signerPort;
        final int adminPort;
        final int raftPort;
        Process process;
        long startedNanos;

        Replica(String id, Path dir, int signerPort, int adminPort, int raftPort) {
            this.id = id;
            this.dir = dir;
            this.signerPort = signerPort;
            this.adminPort = adminPort;
            this.raftPort = raftPort;
        }

        URI signer() {
            return URI.create("http://127.0.0.1:" + signerPort);
        }

        URI admin() {
            return URI.create("http://127.0.0.1:" + adminPort);
        }

        boolean alive() {
            return process != null && process.isAlive();
        }

        long pid() {
            return process.pid();
        }
    }

    private final Settings settings;
    private final List<Replica> replicas = new ArrayList<>();
    private final List<DelayProxy> proxies = new ArrayList<>();
    private final List<Integer> proxyPorts = new ArrayList<>();

    ReplicaCluster(Path root, int n, Settings settings) throws IOException {
        this.settings = settings;
        int[] ports = LoopbackPorts.reserve(4 * n);
        for (int i = 0; i < n; i++) {
            replicas.add(new Replica(
                    "n" + (i + 1), root.resolve("n" + (i + 1)), ports[4 * i], ports[4 * i + 1], ports[4 * i + 2]));
            proxyPorts.add(ports[4 * i + 3]);
        }
        if (!settings.oneWayDelay().isZero() && n > 1) {
            for (int i = 0; i < n; i++) {
                proxies.add(DelayProxy.start(
                        proxyPorts.get(i),
                        new InetSocketAddress("127.0.0.1", replicas.get(i).raftPort),
                        settings.oneWayDelay()));
            }
        }
    }

    List<Replica> replicas() {
        return replicas;
    }

    /** Starts every replica's JVM (without waiting). */
    void startAll() throws IOException {
        for (Replica r : replicas) {
            start(r);
        }
    }

    void start(Replica r) throws IOException {
        Files.createDirectories(r.dir);
        Path cfg = r.dir.resolve("bakeguard.yaml");
        StringBuilder y = new StringBuilder();
        y.append("node: {id: ").append(r.id).append(", data-dir: data}\ncluster:\n");
        for (int i = 0; i < replicas.size(); i++) {
            Replica p = replicas.get(i);
            int raft = p == r || proxies.isEmpty() ? p.raftPort : proxyPorts.get(i);
            y.append("  - {id: ")
                    .append(p.id)
                    .append(", raft: '127.0.0.1:")
                    .append(raft)
                    .append("', admin: 'http://127.0.0.1:")
                    .append(p.adminPort)
                    .append("'}\n");
        }
        y.append("signer:\n  listen: 127.0.0.1:")
                .append(r.signerPort)
                .append("\n  request-timeout: ")
                .append(settings.requestTimeout())
                .append("\n  max-in-flight: 1024\n");
        y.append("admin:\n  listen: 127.0.0.1:").append(r.adminPort).append('\n');
        if (settings.electionMin().isPresent()) {
            y.append("raft:\n  election-timeout-min: ")
                    .append(settings.electionMin().get().toMillis())
                    .append("ms\n  election-timeout-max: ")
                    .append(settings.electionMax().orElseThrow().toMillis())
                    .append("ms\n");
        }
        y.append(settings.keysBlock());
        Files.writeString(cfg, y.toString());
        List<String> cmd = ServeJvm.command(settings.jvmOptions(), settings.classpath(), cfg);
        r.startedNanos = System.nanoTime();
        r.process = ServeJvm.start(cmd, r.dir, r.dir.resolve("stdout.log"), r.dir.resolve("stderr.log"), Map.of());
    }

    /** Waits (bounded) until {@code /readyz} answers 200; returns the time since the JVM was started. */
    Duration awaitReady(Replica r, Duration max) throws Exception {
        long end = System.nanoTime() + max.toNanos();
        try (HttpConnection c = new HttpConnection(r.admin(), 2000)) {
            while (System.nanoTime() < end) {
                if (!r.alive()) {
                    throw new IllegalStateException(r.id + " exited with " + r.process.exitValue() + ": "
                            + LogTail.of(r.dir.resolve("stderr.log"), 15)
                            + LogTail.of(r.dir.resolve("stdout.log"), 15));
                }
                try {
                    if (c.get("/readyz").status() == 200) {
                        return Duration.ofNanos(System.nanoTime() - r.startedNanos);
                    }
                } catch (IOException e) {
                    c.close(); // not listening yet
                }
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException(
                r.id + " not ready within " + max + ": " + LogTail.of(r.dir.resolve("stderr.log"), 15));
    }

    /** {@code /admin/status} of one live replica, if it answers. */
    private static Optional<JsonNode> statusOf(Replica r) {
        if (!r.alive()) {
            return Optional.empty();
        }
        try (HttpConnection c = new HttpConnection(r.admin(), 2000)) {
            HttpConnection.Response s = c.get("/admin/status");
            return s.status() == 200 ? Optional.of(SignerBackend.json(s.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code /admin/status} of the first live replica that answers it. */
    private Optional<JsonNode> status() {
        for (Replica r : replicas) {
            Optional<JsonNode> s = statusOf(r);
            if (s.isPresent()) {
                return s;
            }
        }
        return Optional.empty();
    }

    /** The leader as a live replica's {@code /admin/status} names it. */
    Optional<Replica> leader() {
        String id = status().map(n -> n.path("leader_id").asText(null)).orElse(null);
        return id == null
                ? Optional.empty()
                : replicas.stream().filter(x -> x.id.equals(id)).findFirst();
    }

    /** A live replica whose own {@code /admin/status} says it is the leader, if one does now. */
    Optional<Replica> selfReportedLeader() {
        return replicas.stream()
                .filter(r -> selfReportedLeaderStatus(r).isPresent())
                .findFirst();
    }

    /** {@code r}'s {@code /admin/status} if it answers and says that it leads. */
    private static Optional<JsonNode> selfReportedLeaderStatus(Replica r) {
        return statusOf(r).filter(n -> "LEADER".equals(n.path("role").asText()));
    }

    /**
     * Waits (bounded) until {@code r} has applied every entry that the leader had committed when this was
     * called, i.e. until a restarted replica has caught up; returns the time since its JVM was started.
     */
    Duration awaitCaughtUp(Replica r, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        long target = -1;
        while (target < 0 && System.nanoTime() < end) {
            target = replicas.stream()
                    .flatMap(x -> selfReportedLeaderStatus(x).stream())
                    .findFirst()
                    .map(n -> n.path("commit_index").asLong(-1))
                    .orElse(-1L);
            if (target < 0) {
                Thread.sleep(20);
            }
        }
        while (System.nanoTime() < end) {
            if (statusOf(r).map(n -> n.path("applied_index").asLong(-1)).orElse(-1L) >= target && target >= 0) {
                return Duration.ofNanos(System.nanoTime() - r.startedNanos);
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(
                r.id + " did not catch up with the leader (commit index " + target + ") within " + max);
    }

    /** The Raft term as the first live replica reports it, or -1. */
    long term() {
        return status().map(n -> n.path("term").asLong(-1)).orElse(-1L);
    }

    /** Waits (bounded) until some live replica names a leader; returns it. */
    Replica awaitLeader(Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end) {
            Optional<Replica> l = leader();
            if (l.isPresent() && l.get().alive()) {
                return l.get();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no leader within " + max);
    }

    /** SIGKILL (Process.destroyForcibly on Unix). */
    void kill(Replica r) throws InterruptedException {
        ServeJvm.kill(r.process);
    }

    /** Resident set size of a live replica in MiB, from /proc. */
    static double rssMiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IOException("no VmRSS for pid " + pid);
    }

    @Override
    public void close() {
        for (Replica r : replicas) {
            if (r.process != null) {
                try {
                    ServeJvm.kill(r.process);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        proxies.forEach(DelayProxy::close);
    }
}
