package io.bakeguard.acceptance;

import io.bakeguard.testkit.LogTail;
import io.bakeguard.testkit.ServeJvm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * One real {@code bakeguard serve} JVM started from the test classpath, like Web3Signer's process
 * runner: its config is written by the test, its output goes to files in its directory, and it is
 * killed at the end.
 */
final class BakeguardProcess implements AutoCloseable {
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String id;
    final Path dir;
    final int signerPort;
    final int adminPort;
    final int raftPort;
    private Process process;

    BakeguardProcess(String id, Path dir, int signerPort, int adminPort, int raftPort) {
        this.id = id;
        this.dir = dir;
        this.signerPort = signerPort;
        this.adminPort = adminPort;
        this.raftPort = raftPort;
    }

    /** Writes a secret file readable by its owner only, as bakeguard requires. */
    static Path secretFile(Path dir, String name, String content) throws IOException {
        Files.createDirectories(dir);
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    /** The {@code cluster:} list of a set of replicas. */
    static String clusterYaml(List<BakeguardProcess> all) {
        StringBuilder sb = new StringBuilder("cluster:\n");
        for (BakeguardProcess p : all) {
            sb.append("  - {id: ")
                    .append(p.id)
                    .append(", raft: '127.0.0.1:")
                    .append(p.raftPort)
                    .append("', admin: 'http://127.0.0.1:")
                    .append(p.adminPort)
                    .append("'}\n");
        }
        return sb.toString();
    }

    /** Starts the JVM with {@code node}, {@code signer}, {@code admin} filled in and {@code rest} appended. */
    void start(String cluster, String rest) throws IOException {
        start(cluster, "2s", rest);
    }

    /** As {@link #start(String, String)} with the given {@code signer.request-timeout}. */
    void start(String cluster, String requestTimeout, String rest) throws IOException {
        Files.createDirectories(dir);
        Path cfg = dir.resolve("bakeguard.yaml");
        Files.writeString(
                cfg,
                "node: {id: " + id + ", data-dir: data}\n" + cluster + "signer:\n  listen: 127.0.0.1:" + signerPort
                        + "\n  request-timeout: " + requestTimeout + "\nadmin:\n  listen: 127.0.0.1:" + adminPort
                        + "\nraft:\n  election-timeout-min: 300ms\n  election-timeout-max: 600ms\n" + rest);
        process = ServeJvm.startSmall(cfg, dir);
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** Waits (bounded) until {@code /healthz} answers, failing with the log tail if the JVM died. */
    void awaitHealthy(Duration max) throws Exception {
        awaitStatus("/healthz", max);
    }

    /** Waits (bounded) until {@code /readyz} is 200: this replica can commit. */
    void awaitReady(Duration max) throws Exception {
        awaitStatus("/readyz", max);
    }

    private void awaitStatus(String path, Duration max) throws Exception {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end) {
            if (!alive()) {
                throw new AssertionError(id + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                HttpResponse<String> r = HTTP.send(
                        HttpRequest.newBuilder(admin(path))
                                .timeout(Duration.ofSeconds(3))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError(id + " not ready at " + path + " within " + max + ":\n" + logTail());
    }

    URI signer(String path) {
        return URI.create("http://127.0.0.1:" + signerPort + path);
    }

    URI admin(String path) {
        return URI.create("http://127.0.0.1:" + adminPort + path);
    }

    HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> sign(String pkh, String hex) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(signer("/keys/" + pkh))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("\"" + hex + "\""))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Signs, retrying (a bounded number of times) while the answer is 503: what a baker does, and
     * safe, since a 503 signed nothing.
     */
    HttpResponse<String> signSettled(String pkh, String hex) throws Exception {
        HttpResponse<String> r = sign(pkh, hex);
        for (int i = 0; i < 5 && r.statusCode() == 503; i++) {
            r = sign(pkh, hex);
        }
        return r;
    }

    String logTail() {
        return LogTail.of(dir.resolve("stderr.log"), 40);
    }

    /** The decision lines of this replica's log. */
    List<String> decisions() throws IOException {
        return Files.readAllLines(dir.resolve("stderr.log")).stream()
                .filter(l -> l.contains("logger=decision"))
                .toList();
    }

    /** Kills the JVM at once (SIGKILL), as a crash. */
    void kill() throws InterruptedException {
        if (process != null) {
            ServeJvm.kill(process);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            ServeJvm.stop(process, Duration.ofSeconds(10));
        }
    }
}
