package io.bakeguard.safety.cluster;

import io.bakeguard.safety.load.TestKey;
import io.bakeguard.safety.net.ProxyMesh;
import io.bakeguard.testkit.LogTail;
import io.bakeguard.testkit.LoopbackPorts;
import io.bakeguard.testkit.ServeJvm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * N real {@code bakeguard serve} JVMs on loopback. Each replica listens on its own Raft port, but its config
 * names every peer at the harness' {@link ProxyMesh} port for that directed link, so all Raft traffic crosses a
 * proxy the harness can cut.
 */
public final class Cluster implements AutoCloseable {
    /**
     * @param replicas 3 or 5
     * @param workDir configs, data dirs, keys and logs go under it
     * @param keys software keys every replica serves, with {@code first-use: allow}
     * @param requestTimeout the replicas' {@code signer.request-timeout}
     * @param classpath the classpath of the replica JVMs (must hold http-api and its dependencies)
     * @param jvmOptions extra options of the replica JVMs
     */
    public record Options(
            int replicas,
            Path workDir,
            List<TestKey> keys,
            Duration requestTimeout,
            String classpath,
            List<String> jvmOptions) {
        public Options {
            if (replicas < 1 || replicas > 9) {
                throw new IllegalArgumentException("replicas must be 1..9, got " + replicas);
            }
            keys = List.copyOf(keys);
            jvmOptions = List.copyOf(jvmOptions);
        }
    }

    /** The ports of one replica. */
    public record Ports(int raft, int signer, int admin) {}

    private final Options options;
    private final Map<String, Ports> ports;
    private final ProxyMesh mesh;
    private final Map<String, ReplicaProcess> processes = new LinkedHashMap<>();
    private final Map<String, AdminClient> admins = new LinkedHashMap<>();
    private final HttpClient http;
    private SlowDisk slowDisk;

    private Cluster(Options options, Map<String, Ports> ports, ProxyMesh mesh, HttpClient http) {
        this.options = options;
        this.ports = ports;
        this.mesh = mesh;
        this.http = http;
    }

    /** Allocates ports, starts the proxies, writes configs and key files. Starts no replica yet. */
    public static Cluster create(Options o) throws IOException {
        Map<String, Ports> ports = new LinkedHashMap<>();
        // Outside the ephemeral range: the proxies below bind(0), and connections pick local ports, before the
        // replicas bind theirs.
        int[] free = LoopbackPorts.reserve(3 * o.replicas());
        for (int i = 0; i < o.replicas(); i++) {
            ports.put("n" + (i + 1), new Ports(free[3 * i], free[3 * i + 1], free[3 * i + 2]));
        }
        Map<String, Integer> raft = new LinkedHashMap<>();
        ports.forEach((id, p) -> raft.put(id, p.raft()));
        ProxyMesh mesh = new ProxyMesh(raft);
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1))
                .build();
        Cluster c = new Cluster(o, ports, mesh, http);
        try {
            c.writeFiles();
        } catch (IOException | RuntimeException e) {
            mesh.close();
            throw e;
        }
        return c;
    }

    private void writeFiles() throws IOException {
        Path keysDir = options.workDir().resolve("keys");
        Files.createDirectories(keysDir);
        List<Path> keyFiles = new ArrayList<>();
        for (int i = 0; i < options.keys().size(); i++) {
            Path f = keysDir.resolve("k" + i + ".key");
            // Created owner-only: bakeguard refuses secret key files that group or others can read.
            Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(f, options.keys().get(i).secretKeyFileContent());
            keyFiles.add(f);
        }
        slowDisk = SlowDisk.build(options.workDir().resolve("slowdisk"));
        for (Map.Entry<String, Ports> e : ports.entrySet()) {
            String id = e.getKey();
            Path dir = options.workDir().resolve(id);
            Files.createDirectories(dir);
            Path config = dir.resolve("bakeguard.yaml");
            Files.writeString(config, config(id, dir, keyFiles));
            List<String> cmd = ServeJvm.command(options.jvmOptions(), options.classpath(), config);
            Path delayFile = fsyncDelayFile(id);
            SlowDisk.setDelay(delayFile, Duration.ZERO);
            processes.put(id, new ReplicaProcess(id, cmd, dir.resolve("replica.log"), slowDisk.environment(delayFile)));
            admins.put(
                    id,
                    new AdminClient(
                            URI.create("http://127.0.0.1:" + e.getValue().admin()), http));
        }
    }

    /** The YAML of design.md s.3 for one replica: its own Raft port, its peers at their proxy ports. */
    String config(String id, Path dir, List<Path> keyFiles) {
        Ports p = ports.get(id);
        StringBuilder y = new StringBuilder();
        y.append("node:\n  id: ")
                .append(id)
                .append("\n  data-dir: ")
                .append(quote(dir.resolve("data").toString()));
        y.append("\ncluster:\n");
        for (Map.Entry<String, Ports> peer : ports.entrySet()) {
            int raftPort = peer.getKey().equals(id) ? p.raft() : mesh.portFor(id, peer.getKey());
            y.append("  - {id: ")
                    .append(peer.getKey())
                    .append(", raft: \"127.0.0.1:")
                    .append(raftPort)
                    .append("\", admin: \"http://127.0.0.1:")
                    .append(peer.getValue().admin())
                    .append("\"}\n");
        }
        y.append("signer:\n  listen: \"127.0.0.1:").append(p.signer()).append("\"\n");
        y.append("  request-timeout: ")
                .append(options.requestTimeout().toMillis())
                .append("ms\n");
        y.append("admin:\n  listen: \"127.0.0.1:").append(p.admin()).append("\"\n");
        y.append("keys:\n");
        for (Path k : keyFiles) {
            y.append("  - secret-key-file: ").append(quote(k.toString())).append('\n');
            y.append("    policy: {kinds: [block, preattestation, attestation], first-use: allow}\n");
        }
        return y.toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The replica's data directory (Ratis storage and watermark log files). */
    public Path dataDir(String id) {
        return options.workDir().resolve(id).resolve("data");
    }

    private Path fsyncDelayFile(String id) {
        return options.workDir().resolve(id).resolve("fsync-delay-ms");
    }

    /** The slow-disk fault's shim, which may be unavailable on this machine (it says why). */
    public SlowDisk slowDisk() {
        return slowDisk;
    }

    /**
     * Delays every fsync of replica {@code id} by {@code delay} from now on (zero: no delay), without a restart.
     *
     * @throws IllegalStateException when the slow-disk shim is unavailable
     */
    public void setFsyncDelay(String id, Duration delay) throws IOException {
        if (!slowDisk.available()) {
            throw new IllegalStateException("slow disk unavailable: " + slowDisk.unavailableReason());
        }
        SlowDisk.setDelay(fsyncDelayFile(id), delay);
    }

    public List<String> ids() {
        return List.copyOf(processes.keySet());
    }

    public ReplicaProcess process(String id) {
        return processes.get(id);
    }

    public AdminClient admin(String id) {
        return admins.get(id);
    }

    public URI signerUri(String id) {
        return URI.create("http://127.0.0.1:" + ports.get(id).signer());
    }

    public ProxyMesh mesh() {
        return mesh;
    }

    public int majority() {
        return processes.size() / 2 + 1;
    }

    public void startAll() throws IOException {
        for (ReplicaProcess p : processes.values()) {
            p.start();
        }
    }

    /** Waits until every running replica answers {@code /healthz}; false when {@code timeout} passed first. */
    public boolean awaitAlive(List<String> ids, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String id : ids) {
            while (!admin(id).alive(Duration.ofMillis(500))) {
                if (!process(id).alive()) {
                    throw new IllegalStateException(id + " exited while starting; the end of "
                            + process(id).logFile() + ":\n"
                            + LogTail.of(process(id).logFile(), 30));
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(100);
            }
        }
        return true;
    }

    /**
     * The leader as the replicas see it now: among replicas that are running and not paused, the self-declared
     * leader with the highest term, if a majority of the answering replicas name it. Empty when there is none.
     */
    public Optional<String> currentLeader(Duration perReplica) {
        List<AdminClient.Status> answers = new ArrayList<>();
        for (String id : ids()) {
            ReplicaProcess p = process(id);
            if (!p.alive() || p.paused()) {
                continue;
            }
            try {
                answers.add(admin(id).status(perReplica));
            } catch (IOException e) {
                // down or cut off: no vote
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        Optional<AdminClient.Status> claimed = answers.stream()
                .filter(AdminClient.Status::leader)
                .max(java.util.Comparator.comparingLong(AdminClient.Status::term));
        if (claimed.isEmpty()) {
            return Optional.empty();
        }
        String leader = claimed.get().selfId();
        long agree = answers.stream()
                .filter(s -> s.leaderId().filter(leader::equals).isPresent())
                .count();
        return agree >= majority() ? Optional.of(leader) : Optional.empty();
    }

    /** Polls {@link #currentLeader} until one is found or {@code timeout} passes. */
    public Optional<String> awaitLeader(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> l = currentLeader(Duration.ofMillis(500));
            if (l.isPresent()) {
                return l;
            }
            Thread.sleep(100);
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        for (ReplicaProcess p : processes.values()) {
            try {
                p.kill9();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // keep closing the others
            }
        }
        mesh.close();
    }
}
