package io.bakeguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real image (deploy/docker/Dockerfile.prebuilt on the locally built base, fed with this build's
 * http-api distribution) as a three-replica cluster on a user-defined Docker network: signing goes on
 * while one replica, then the leader, is cut off or paused; conflicting requests sent to different
 * replicas get at most one signature; restarted containers keep their watermarks in their volumes.
 * Skips, saying why, without a Docker daemon or without the base image (deploy/docker/base-image.sh).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerClusterIT {
    static final String BASE_IMAGE = System.getProperty("bakeguard.base-image", "bakeguard-base:bookworm");
    static final String IMAGE = "bakeguard:deploy-tests";
    static final String CHAIN = "7a06a770"; // NetXdQprcVkpaWU
    static final int UID = 10001;
    static final Duration ELECTION = Duration.ofSeconds(45);

    final String id = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    final String network = "bakeguard-test-" + id;
    final List<Node> nodes = new ArrayList<>();
    int level = 1000;
    boolean networkCreated;

    Path dir;

    /** One replica container and its published ports. */
    final class Node {
        final String name;
        final String container;
        int signerPort;
        int adminPort;

        Node(String name) {
            this.name = name;
            this.container = "bakeguard-test-" + id + "-" + name;
        }

        void refreshPorts() {
            signerPort = Docker.hostPort(container, 6732);
            adminPort = Docker.hostPort(container, 9583);
        }

        HttpResponse<String> sign(String hex) throws IOException, InterruptedException {
            return LiveReplica.HTTP.send(
                    HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + signerPort + "/keys/" + TestKey.PUBLIC_KEY_HASH))
                            .timeout(Duration.ofSeconds(15))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("\"" + hex + "\""))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        Optional<JsonNode> status() {
            try {
                HttpResponse<String> r = LiveReplica.HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/admin/status"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 ? Optional.of(DeployFiles.JSON.readTree(r.body())) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }

        boolean ready() {
            try {
                return LiveReplica.HTTP
                                .send(
                                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/readyz"))
                                                .timeout(Duration.ofSeconds(5))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode()
                        == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    void startCluster() throws Exception {
        Optional<String> why = Docker.unavailable(BASE_IMAGE);
        assumeTrue(why.isEmpty(), () -> "skipping the container tests: " + why.orElse(""));
        Path context = Path.of(System.getProperty("image.context", "target/image-context"));
        assumeTrue(
                Files.isRegularFile(context.resolve("bin/bakeguard")) && Files.isDirectory(context.resolve("lib")),
                "skipping the container tests: the image context " + context
                        + " was not assembled (run through Maven: ./mvnw verify -pl deploy-tests -am)");
        Docker.run(
                Duration.ofMinutes(5),
                "build",
                "-q",
                "--build-arg",
                "BASE_IMAGE=" + BASE_IMAGE,
                "-f",
                DeployFiles.file("docker/Dockerfile.prebuilt").toString(),
                "-t",
                IMAGE,
                context.toString());
        Docker.run("network", "create", network);
        networkCreated = true;
        dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "container-cluster-");
        Path config = dir.resolve("config");
        Files.createDirectories(config.resolve("secrets"));
        Files.writeString(
                config.resolve("bakeguard.yaml"),
                String.join(
                        "\n",
                        "node: {id: n1, data-dir: /var/lib/bakeguard}",
                        "cluster:",
                        "  - {id: n1, raft: 'n1:9870', admin: 'http://n1:9583'}",
                        "  - {id: n2, raft: 'n2:9870', admin: 'http://n2:9583'}",
                        "  - {id: n3, raft: 'n3:9870', admin: 'http://n3:9583'}",
                        "signer: {listen: '0.0.0.0:6732', request-timeout: 3s}",
                        "admin: {listen: '0.0.0.0:9583', token-file: /etc/bakeguard/secrets/admin.token}",
                        "raft: {election-timeout-min: 1s, election-timeout-max: 2s}",
                        "keys:",
                        "  - secret-key-file: /etc/bakeguard/secrets/baker.key",
                        "    policy: {first-use: allow}",
                        ""));
        secret(config.resolve("secrets/baker.key"), "unencrypted:" + TestKey.SECRET_KEY + "\n");
        secret(
                config.resolve("secrets/admin.token"),
                HexFormat.of().formatHex(new byte[24]).replace('0', 'a') + "\n");
        for (String name : List.of("n1", "n2", "n3")) {
            Node n = new Node(name);
            nodes.add(n);
            Docker.run(
                    "create",
                    "--name",
                    n.container,
                    "--hostname",
                    name,
                    "--network",
                    network,
                    "--network-alias",
                    name,
                    "-e",
                    "BAKEGUARD_NODE_ID=" + name,
                    "-e",
                    "BAKEGUARD_JAVA_OPTS=-Xmx160m -XX:TieredStopAtLevel=1",
                    "-v",
                    n.container + ":/var/lib/bakeguard",
                    "-p",
                    "127.0.0.1::6732",
                    "-p",
                    "127.0.0.1::9583",
                    IMAGE);
            Docker.copyOwned(config, n.container, "/etc/bakeguard", UID);
        }
        for (Node n : nodes) {
            Docker.run("start", n.container);
            n.refreshPorts();
        }
        awaitAllReady(Duration.ofSeconds(120));
    }

    private static void secret(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterAll
    void removeCluster() throws IOException {
        Path logs = Path.of("target", "container-logs");
        Files.createDirectories(logs);
        for (Node n : nodes) {
            Commands.Result r = Commands.run(Docker.SHORT, "docker", "logs", n.container);
            Files.writeString(logs.resolve(n.container + ".log"), r.output());
            Docker.quietly("rm", "-f", "-v", n.container);
            Docker.quietly("volume", "rm", "-f", n.container);
        }
        if (networkCreated) {
            Docker.quietly("network", "rm", network);
        }
    }

    void awaitAllReady(Duration max) throws Exception {
        long end = System.nanoTime() + max.toNanos();
        for (Node n : nodes) {
            while (!n.ready()) {
                if (System.nanoTime() > end
                        || !Docker.run("inspect", "-f", "{{.State.Running}}", n.container)
                                .equals("true")) {
                    throw new AssertionError(n + " not ready within " + max + " or exited:\n"
                            + Commands.run(Docker.SHORT, "docker", "logs", "--tail", "40", n.container)
                                    .output());
                }
                Thread.sleep(500);
            }
        }
    }

    Node leader() throws InterruptedException {
        long end = System.nanoTime() + ELECTION.toNanos();
        while (System.nanoTime() < end) {
            for (Node n : nodes) {
                if (n.status()
                        .map(s -> s.path("role").asText().equals("LEADER"))
                        .orElse(false)) {
                    return n;
                }
            }
            Thread.sleep(300);
        }
        throw new AssertionError("no leader within " + ELECTION);
    }

    Node other(Node... not) {
        return nodes.stream().filter(n -> !List.of(not).contains(n)).findFirst().orElseThrow();
    }

    /** Signs through {@code via}, retrying 503 (no quorum yet, e.g. during an election) for a bounded time. */
    HttpResponse<String> signEventually(Node via, String hex) throws Exception {
        long end = System.nanoTime() + ELECTION.toNanos();
        HttpResponse<String> r;
        do {
            r = via.sign(hex);
            if (r.statusCode() != 503) {
                return r;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < end);
        return r;
    }

    void disconnect(Node n) {
        Docker.run("network", "disconnect", network, n.container);
    }

    void reconnect(Node n) throws Exception {
        Docker.run("network", "connect", "--alias", n.name, network, n.container);
        n.refreshPorts();
        awaitAllReady(Duration.ofSeconds(90));
    }

    /**
     * Sends a signing request from inside {@code n}'s container to its own signer port (bash's /dev/tcp;
     * the image has no curl): reaches a replica whose network is disconnected. Returns the status code.
     */
    int signFromInside(Node n, String hex) {
        String body = "\"" + hex + "\"";
        String request = "POST /keys/" + TestKey.PUBLIC_KEY_HASH + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nConnection: close\r\nContent-Length: " + body.length()
                + "\r\n\r\n" + body;
        Commands.Result r = Commands.run(
                Duration.ofSeconds(40),
                null,
                List.of(
                        "docker",
                        "exec",
                        n.container,
                        "bash",
                        "-c",
                        "exec 3<>/dev/tcp/127.0.0.1/6732 && printf '%s' \"$1\" >&3 && timeout 30 head -n 1 <&3",
                        "sign",
                        request));
        String line = r.output().strip();
        if (!r.ok() || !line.startsWith("HTTP/1.1 ")) {
            throw new AssertionError("no HTTP answer from inside " + n + ": " + r.output());
        }
        return Integer.parseInt(line.substring(9, 12));
    }

    @Test
    @Order(1)
    void theImageIsHealthyAndRunsAsItsNonRootUser() throws Exception {
        Node n = nodes.get(0);
        assertThat(Docker.run("exec", n.container, "id", "-u")).isEqualTo(Integer.toString(UID));
        assertThat(Docker.run("inspect", "-f", "{{.Config.User}}", n.container)).isEqualTo(UID + ":" + UID);
        long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String health;
        do {
            health = Docker.run("inspect", "-f", "{{.State.Health.Status}}", n.container);
            if (health.equals("healthy")) {
                break;
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < end);
        assertThat(health).as("HEALTHCHECK on /healthz").isEqualTo("healthy");
    }

    @Test
    @Order(2)
    void signingGoesOnWhenAFollowerIsCutOffFromTheNetwork() throws Exception {
        Node leader = leader();
        Node follower = other(leader);
        disconnect(follower);
        try {
            HttpResponse<String> r = signEventually(leader, LiveReplica.attestation(CHAIN, ++level, 0, 1));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("\"signature\":\"edsig");
        } finally {
            reconnect(follower);
        }
    }

    @Test
    @Order(3)
    void signingGoesOnThroughTheOthersWhenTheLeaderIsCutOff() throws Exception {
        Node leader = leader();
        Node survivor = other(leader);
        disconnect(leader);
        try {
            HttpResponse<String> r = signEventually(survivor, LiveReplica.attestation(CHAIN, ++level, 0, 1));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            Node newLeader = leader();
            assertThat(newLeader).isNotEqualTo(leader);
        } finally {
            reconnect(leader);
        }
    }

    @Test
    @Order(4)
    void aCutOffLeaderSignsNothingWhileTheMajoritySignsOtherBytesAtTheSameLevelAndRound() throws Exception {
        Node oldLeader = leader();
        Node survivor = other(oldLeader);
        int at = ++level;
        String mine = LiveReplica.attestation(CHAIN, at, 0, 0x21);
        String theirs = LiveReplica.attestation(CHAIN, at, 0, 0x22);
        disconnect(oldLeader);
        int cutOff;
        HttpResponse<String> majority;
        try {
            // The cut-off replica cannot commit its reservation: 503 within the request deadline, no signature.
            cutOff = signFromInside(oldLeader, mine);
            majority = signEventually(survivor, theirs);
        } finally {
            reconnect(oldLeader);
        }
        assertThat(cutOff).as("the cut-off leader's answer").isEqualTo(503);
        assertThat(majority.statusCode()).as(majority.body()).isEqualTo(200);
        // Healed, the old leader has learned the majority's signature and refuses its own bytes.
        HttpResponse<String> again = signEventually(oldLeader, mine);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
        assertThat(again.body()).contains("already signed with different data");
    }

    @Test
    @Order(5)
    void signingGoesOnWhenAReplicaIsPaused() throws Exception {
        Node leader = leader();
        Node paused = other(leader);
        Docker.run("pause", paused.container);
        try {
            HttpResponse<String> r = signEventually(leader, LiveReplica.attestation(CHAIN, ++level, 0, 1));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        } finally {
            Docker.run("unpause", paused.container);
        }
        awaitAllReady(Duration.ofSeconds(60));
    }

    @Test
    @Order(6)
    void conflictingRequestsSentToDifferentReplicasGetAtMostOneSignature() throws Exception {
        int signedRounds = 0;
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
        try {
            int at = ++level;
            for (int round = 0; round < 6; round++) {
                List<Future<HttpResponse<String>>> answers = new ArrayList<>();
                for (int i = 0; i < nodes.size(); i++) {
                    Node n = nodes.get(i);
                    String hex = LiveReplica.attestation(CHAIN, at, round, 0x10 + i); // other bytes per replica
                    answers.add(pool.submit((Callable<HttpResponse<String>>) () -> n.sign(hex)));
                }
                Map<String, Integer> statuses = new LinkedHashMap<>();
                int signed = 0;
                for (int i = 0; i < answers.size(); i++) {
                    HttpResponse<String> r = answers.get(i).get(30, TimeUnit.SECONDS);
                    statuses.put(nodes.get(i).name, r.statusCode());
                    assertThat(r.statusCode()).as(r.body()).isIn(200, 409, 503);
                    if (r.statusCode() == 200) {
                        signed++;
                    }
                }
                assertThat(signed)
                        .as("signatures at level %d round %d: %s", at, round, statuses)
                        .isLessThanOrEqualTo(1);
                signedRounds += signed;
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(signedRounds)
                .as("the cluster stayed live: some round was signed")
                .isPositive();
    }

    @Test
    @Order(7)
    void anIdenticalRetryThroughAnotherReplicaReturnsTheSameSignature() throws Exception {
        String hex = LiveReplica.attestation(CHAIN, ++level, 0, 7);
        HttpResponse<String> first = signEventually(nodes.get(0), hex);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        HttpResponse<String> again = signEventually(nodes.get(1), hex);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(DeployFiles.JSON.readTree(again.body()).path("signature").asText())
                .isEqualTo(DeployFiles.JSON
                        .readTree(first.body())
                        .path("signature")
                        .asText());
    }

    @Test
    @Order(8)
    void restartedContainersKeepTheirWatermarksInTheirVolumes() throws Exception {
        int signedLevel = ++level;
        HttpResponse<String> r = signEventually(nodes.get(0), LiveReplica.attestation(CHAIN, signedLevel, 0, 1));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        for (Node n : nodes) {
            Docker.run(Duration.ofSeconds(60), "stop", "-t", "20", n.container);
        }
        for (Node n : nodes) {
            Docker.run("start", n.container);
            n.refreshPorts();
        }
        awaitAllReady(Duration.ofSeconds(120));
        // With first use allowed, a cluster that had lost its state would sign this: a 409 proves it kept it.
        for (Node n : nodes) {
            HttpResponse<String> lower = signEventually(n, LiveReplica.attestation(CHAIN, signedLevel - 1, 5, 9));
            assertThat(lower.statusCode()).as(n + ": " + lower.body()).isEqualTo(409);
            assertThat(lower.body()).contains("below high watermark " + signedLevel);
        }
        HttpResponse<String> same = signEventually(nodes.get(2), LiveReplica.attestation(CHAIN, signedLevel, 0, 2));
        assertThat(same.statusCode()).as(same.body()).isEqualTo(409);
        HttpResponse<String> higher = signEventually(nodes.get(2), LiveReplica.attestation(CHAIN, ++level, 0, 1));
        assertThat(higher.statusCode()).as(higher.body()).isEqualTo(200);
    }
}
