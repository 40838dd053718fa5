package io.bakeguard.deploy;

import io.bakeguard.testkit.LogTail;
import io.bakeguard.testkit.LoopbackPorts;
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
import java.util.HexFormat;

/**
 * A real single-replica {@code bakeguard serve} JVM started from this module's classpath (http-api is a
 * runtime dependency), on loopback ports. http-api's own process runner lives in its test sources and is
 * not published, so this is the small part of it these tests need.
 */
final class LiveReplica implements AutoCloseable {
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final Path dir;
    final int signerPort;
    final int adminPort;
    private final Process process;

    private LiveReplica(Path dir, int signerPort, int adminPort, Process process) {
        this.dir = dir;
        this.signerPort = signerPort;
        this.adminPort = adminPort;
        this.process = process;
    }

    /** Starts a replica with one unencrypted key whose policy allows first use; waits until it is ready. */
    static LiveReplica start(Path dir, String secretKey) throws Exception {
        int[] ports = LoopbackPorts.reserve(3);
        Files.createDirectories(dir.resolve("keys"));
        Path key = dir.resolve("keys/baker.key");
        Files.writeString(key, "unencrypted:" + secretKey + "\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Path cfg = dir.resolve("bakeguard.yaml");
        Files.writeString(
                cfg,
                String.join(
                        "\n",
                        "node: {id: n1, data-dir: data}",
                        "cluster:",
                        "  - {id: n1, raft: '127.0.0.1:" + ports[2] + "'}",
                        "signer: {listen: '127.0.0.1:" + ports[0] + "', request-timeout: 5s}",
                        "admin: {listen: '127.0.0.1:" + ports[1] + "'}",
                        "keys:",
                        "  - secret-key-file: keys/baker.key",
                        "    policy: {first-use: allow}",
                        ""));
        Process p = ServeJvm.startSmall(cfg, dir);
        LiveReplica r = new LiveReplica(dir, ports[0], ports[1], p);
        try {
            r.awaitReady(Duration.ofSeconds(90));
        } catch (Throwable t) {
            r.close();
            throw t;
        }
        return r;
    }

    private void awaitReady(Duration max) throws Exception {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new AssertionError("bakeguard serve exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                if (get("/readyz").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("bakeguard serve not ready within " + max + ":\n" + logTail());
    }

    HttpResponse<String> get(String adminPath) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + adminPath))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> sign(String pkh, String hex) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + signerPort + "/keys/" + pkh))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("\"" + hex + "\""))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A Tenderbake attestation request (magic 0x13, chain id, branch, tag 21, slot, level, round,
     * payload hash): spec/tezos-remote-signer.md s.3.
     */
    static String attestation(String chainHex, int level, int round, int fill) {
        return "13" + chainHex + "00".repeat(32) + "15" + "0000" + String.format("%08x%08x", level, round)
                + HexFormat.of().toHexDigits((byte) fill).repeat(32);
    }

    String logTail() {
        return LogTail.of(dir.resolve("stderr.log"), 40);
    }

    @Override
    public void close() throws InterruptedException {
        ServeJvm.stop(process, Duration.ofSeconds(15));
    }
}
