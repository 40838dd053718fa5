package io.bakeguard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.bakeguard.testkit.LoopbackPorts;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A 3-member etcd cluster on loopback (Debian's {@code etcd-server}), data directories on the same disk
 * as the replicas', default durability (etcd fsyncs its WAL before acknowledging), for the side-by-side
 * comparison.
 */
final class EtcdCluster implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();
    private final List<URI> clients = new ArrayList<>();

    EtcdCluster(Path etcd, Path root, int n) throws IOException {
        int[] ports = LoopbackPorts.reserve(2 * n);
        StringBuilder initial = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                initial.append(',');
            }
            initial.append("e").append(i + 1).append("=http://127.0.0.1:").append(ports[2 * i + 1]);
        }
        for (int i = 0; i < n; i++) {
            Path dir = root.resolve("e" + (i + 1));
            Files.createDirectories(dir);
            String client = "http://127.0.0.1:" + ports[2 * i];
            String peer = "http://127.0.0.1:" + ports[2 * i + 1];
            List<String> cmd = List.of(
                    etcd.toString(),
                    "--name",
                    "e" + (i + 1),
                    "--data-dir",
                    dir.resolve("data").toString(),
                    "--listen-client-urls",
                    client,
                    "--advertise-client-urls",
                    client,
                    "--listen-peer-urls",
                    peer,
                    "--initial-advertise-peer-urls",
                    peer,
                    "--initial-cluster",
                    initial.toString(),
                    "--initial-cluster-state",
                    "new",
                    "--initial-cluster-token",
                    "bakeguard-bench",
                    "--log-level",
                    "warn");
            processes.add(new ProcessBuilder(cmd)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("etcd.log").toFile())
                    .start());
            clients.add(URI.create(client));
        }
    }

    /** The members' processes by name (e1, e2, ...), for CPU accounting. */
    Map<String, ProcessHandle> members() {
        Map<String, ProcessHandle> m = new LinkedHashMap<>();
        for (int i = 0; i < processes.size(); i++) {
            m.put("etcd e" + (i + 1), processes.get(i).toHandle());
        }
        return m;
    }

    List<URI> clients() {
        return clients;
    }

    /** Waits (bounded) until every member answers {@code /health} with true. */
    void awaitHealthy(Duration max) throws Exception {
        long end = System.nanoTime() + max.toNanos();
        for (URI c : clients) {
            while (true) {
                try (HttpConnection h = new HttpConnection(c, 2000)) {
                    HttpConnection.Response r = h.get("/health");
                    if (r.status() == 200 && r.body().contains("true")) {
                        break;
                    }
                } catch (IOException e) {
                    // not up yet
                }
                if (System.nanoTime() > end) {
                    throw new IllegalStateException("etcd member " + c + " not healthy within " + max);
                }
                Thread.sleep(100);
            }
        }
    }

    /** The client URL of the current leader (from {@code /v3/maintenance/status}). */
    URI leader() throws IOException {
        for (URI c : clients) {
            try (HttpConnection h = new HttpConnection(c, 2000)) {
                HttpConnection.Response r =
                        h.post("/v3/maintenance/status", "application/json", "{}".getBytes(StandardCharsets.US_ASCII));
                JsonNode n = SignerBackend.json(r.body());
                if (n.path("leader")
                        .asText()
                        .equals(n.path("header").path("member_id").asText())) {
                    return c;
                }
            }
        }
        throw new IOException("no etcd member says it is the leader");
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
