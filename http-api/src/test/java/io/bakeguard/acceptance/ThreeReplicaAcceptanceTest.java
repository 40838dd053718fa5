package io.bakeguard.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bakeguard.core.key.PublicKey;
import io.bakeguard.core.signer.SignatureVersion;
import io.bakeguard.http.Vectors;
import io.bakeguard.testkit.LoopbackPorts;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Three real {@code bakeguard serve} JVMs on loopback; the last test kills two of them. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeReplicaAcceptanceTest {
    static final String TZ1 = "tz1KqTpEZ7Yob7QbPE4Hy4Wo8fHG8LhKxZSx";
    static final String CHAIN = "7a06a770";

    @TempDir
    static Path dir;

    static final List<BakeguardProcess> replicas = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        int[] ports = LoopbackPorts.reserve(9);
        for (int i = 0; i < 3; i++) {
            replicas.add(new BakeguardProcess(
                    "n" + (i + 1), dir.resolve("n" + (i + 1)), ports[3 * i], ports[3 * i + 1], ports[3 * i + 2]));
        }
        String cluster = BakeguardProcess.clusterYaml(replicas);
        for (BakeguardProcess p : replicas) {
            BakeguardProcess.secretFile(
                    p.dir.resolve("keys"),
                    "baker.key",
                    "unencrypted:"
                            + Vectors.key("tz1_bootstrap1").get("secret_key").asText());
            // A generous deadline: this machine is shared; the last test checks the deadline itself.
            p.start(cluster, "4s", "keys:\n  - secret-key-file: keys/baker.key\n    policy: {first-use: allow}\n");
        }
        for (BakeguardProcess p : replicas) {
            p.awaitReady(Duration.ofSeconds(120));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (BakeguardProcess p : replicas) {
            p.close();
        }
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return SingleReplicaAcceptanceTest.json(r);
    }

    @Test
    @Order(1)
    void anIdenticalRetryOnAnotherReplicaReturnsTheSameSignature() throws Exception {
        String a = SingleReplicaAcceptanceTest.attestation(CHAIN, 1000, 0, 0x0a);
        HttpResponse<String> first = replicas.get(0).signSettled(TZ1, a);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        for (BakeguardProcess p : replicas) {
            HttpResponse<String> again = p.signSettled(TZ1, a);
            assertThat(again.statusCode()).as(p.id + ": " + again.body()).isEqualTo(200);
            assertThat(json(again).get("signature").asText())
                    .isEqualTo(json(first).get("signature").asText());
        }
        HttpResponse<String> other =
                replicas.get(2).signSettled(TZ1, SingleReplicaAcceptanceTest.attestation(CHAIN, 1000, 0, 0x0b));
        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(json(other).get(0).get("msg").asText())
                .isEqualTo("attestation level 1000 and round 0 already signed with different data");
    }

    @Test
    @Order(2)
    void twoClientsOnTwoReplicasWithConflictingAttestationsGetExactlyOnePayloadSignedPerLevelAndRound()
            throws Exception {
        PublicKey pk =
                PublicKey.parse(Vectors.key("tz1_bootstrap1").get("public_key").asText());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int level = 2000; level < 2020; level++) {
                String x = SingleReplicaAcceptanceTest.attestation(CHAIN, level, 0, 0x01);
                String y = SingleReplicaAcceptanceTest.attestation(CHAIN, level, 0, 0x02);
                CountDownLatch go = new CountDownLatch(1);
                Future<HttpResponse<String>> fx = pool.submit(() -> {
                    go.await();
                    return replicas.get(0).sign(TZ1, x);
                });
                Future<HttpResponse<String>> fy = pool.submit(() -> {
                    go.await();
                    return replicas.get(1).sign(TZ1, y);
                });
                go.countDown();
                HttpResponse<String> rx = fx.get(30, TimeUnit.SECONDS);
                HttpResponse<String> ry = fy.get(30, TimeUnit.SECONDS);
                Set<String> signedPayloads = new HashSet<>();
                for (var pair : List.of(List.of(rx, x), List.of(ry, y))) {
                    @SuppressWarnings("unchecked")
                    HttpResponse<String> r = (HttpResponse<String>) pair.get(0);
                    String hex = (String) pair.get(1);
                    if (r.statusCode() == 200) {
                        String sig = json(r).get("signature").asText();
                        assertThat(pk.verify(HexFormat.of().parseHex(hex), sig, SignatureVersion.LATEST))
                                .isTrue();
                        signedPayloads.add(hex);
                    } else {
                        assertThat(r.statusCode()).as(r.body()).isIn(409, 503);
                    }
                }
                assertThat(signedPayloads).as("level " + level).hasSizeLessThanOrEqualTo(1);
                // Whatever happened, a third try with either payload cannot produce a second one.
                HttpResponse<String> rx2 = replicas.get(2).signSettled(TZ1, x);
                HttpResponse<String> ry2 = replicas.get(2).signSettled(TZ1, y);
                if (rx2.statusCode() == 200) {
                    signedPayloads.add(x);
                }
                if (ry2.statusCode() == 200) {
                    signedPayloads.add(y);
                }
                assertThat(signedPayloads).as("level " + level).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(3)
    void everyReplicaHoldsTheSameWatermarkLog() throws Exception {
        JsonNode status = json(replicas.get(0).get(replicas.get(0).admin("/admin/status")));
        long index = status.get("applied_index").asLong();
        assertThat(index).isPositive();
        // Let the others apply up to the same index (bounded wait).
        for (BakeguardProcess p : replicas) {
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (json(p.get(p.admin("/admin/status"))).get("applied_index").asLong() < index
                    && System.nanoTime() < end) {
                Thread.sleep(100);
            }
        }
        JsonNode records = json(replicas.get(0).get(replicas.get(0).admin("/admin/log?limit=1")))
                .get("records");
        long last = records.get(0).get("index").asLong();
        Set<String> hashes = new HashSet<>();
        for (BakeguardProcess p : replicas) {
            HttpResponse<String> r = p.get(p.admin("/admin/log/hash?index=" + last));
            assertThat(r.statusCode()).as(p.id + ": " + r.body()).isEqualTo(200);
            hashes.add(json(r).get("hash").asText());
        }
        assertThat(hashes).hasSize(1);
    }

    @Test
    @Order(4)
    void theOpsCommandsSeeOneHealthyClusterWithAgreeingLogs() throws Exception {
        String admin = "http://127.0.0.1:" + replicas.get(1).adminPort;
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = io.bakeguard.app.Bakeguard.run(
                new String[] {"status", "--admin", admin, "--json"},
                new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        JsonNode status = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
        assertThat(status.get("reachable").asInt()).isEqualTo(3);
        assertThat(status.get("ready").asInt()).isEqualTo(3);
        out.getBuffer().setLength(0);
        code = io.bakeguard.app.Bakeguard.run(
                new String[] {"verify", "--admin", admin},
                new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(err, true));
        assertThat(code).as(out + " " + err).isZero();
    }

    @Test
    @Order(5)
    void withTwoOfThreeKilledTheLastAnswers503WithinTheDeadlineAndSignsNothing() throws Exception {
        replicas.get(0).kill();
        replicas.get(1).kill();
        BakeguardProcess last = replicas.get(2);
        int level = 3000;
        long t0 = System.nanoTime();
        HttpResponse<String> r = last.sign(TZ1, SingleReplicaAcceptanceTest.attestation(CHAIN, level, 0, 0x05));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(json(r).get(0).get("msg").asText()).contains("nothing signed");
        // request-timeout is 4 s; allow 2 s of slack for a loaded machine, not a hang.
        assertThat(ms).isLessThan(6_000);
        assertThat(last.get(last.admin("/readyz")).statusCode()).isEqualTo(503);
        assertThat(last.decisions())
                .filteredOn(l -> l.contains("level=" + level))
                .isNotEmpty()
                .noneMatch(l -> l.contains("decision=signed"));
    }
}
