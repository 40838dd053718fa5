package io.bakeguard.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bakeguard.core.crypto.Blake2b;
import io.bakeguard.core.key.PublicKey;
import io.bakeguard.core.request.RequestDecoder;
import io.bakeguard.core.request.SigningRequest;
import io.bakeguard.core.signer.SignatureVersion;
import io.bakeguard.core.watermark.BucketKey;
import io.bakeguard.core.watermark.Decision;
import io.bakeguard.core.watermark.Reservation;
import io.bakeguard.core.watermark.Watermark;
import io.bakeguard.core.watermark.WatermarkRule;
import io.bakeguard.http.Vectors;
import io.bakeguard.testkit.LoopbackPorts;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A real one-replica {@code bakeguard serve} JVM (still through Ratis), driven over HTTP. */
class SingleReplicaAcceptanceTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> KEY_IDS = List.of("tz1_bootstrap1", "tz2_octez_test", "tz3_octez_test", "tz4_tezt");
    static final String TZ1 = "tz1KqTpEZ7Yob7QbPE4Hy4Wo8fHG8LhKxZSx";

    @TempDir
    static Path dir;

    static BakeguardProcess replica;

    @BeforeAll
    static void start() throws Exception {
        int[] ports = LoopbackPorts.reserve(3);
        replica = new BakeguardProcess("n1", dir.resolve("n1"), ports[0], ports[1], ports[2]);
        StringBuilder keys = new StringBuilder("keys:\n");
        for (String id : KEY_IDS) {
            BakeguardProcess.secretFile(
                    replica.dir.resolve("keys"),
                    id + ".key",
                    "unencrypted:" + Vectors.key(id).get("secret_key").asText());
            keys.append("  - secret-key-file: keys/")
                    .append(id)
                    .append(".key\n")
                    .append("    policy: {first-use: allow, operations: [transaction]}\n");
        }
        replica.start(BakeguardProcess.clusterYaml(List.of(replica)), "4s", keys.toString());
        replica.awaitReady(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() throws Exception {
        if (replica != null) {
            replica.close();
        }
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    static String attestation(String chainHex, int level, int round, int fill) {
        return "13" + chainHex + "00".repeat(32) + "15" + "0000" + String.format("%08x%08x", level, round)
                + HexFormat.of().toHexDigits((byte) fill).repeat(32);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tz1_bootstrap1", "tz2_octez_test", "tz3_octez_test", "tz4_tezt"})
    void everySpecVectorOfEachCurveGetsTheAnswerTheWatermarkRuleGives(String keyId) throws Exception {
        JsonNode key = Vectors.key(keyId);
        String pkh = key.get("public_key_hash").asText();
        PublicKey pk = PublicKey.parse(key.get("public_key").asText());
        List<JsonNode> vectors = new ArrayList<>();
        for (JsonNode s : Vectors.load("signatures.json").get("signatures")) {
            if (s.get("key_id").asText().equals(keyId)) {
                vectors.add(s);
            }
        }
        assertThat(vectors).isNotEmpty();
        // Send in (level, round) order; the expected answer comes from the pure rule.
        vectors.sort(Comparator.comparingLong(
                v -> order(Vectors.message(v.get("message_id").asText()))));
        Map<BucketKey, Watermark> model = new HashMap<>();
        int signed = 0;
        for (JsonNode v : vectors) {
            String hex = Vectors.message(v.get("message_id").asText());
            byte[] bytes = HexFormat.of().parseHex(hex);
            SigningRequest req = RequestDecoder.decode(bytes);
            HttpResponse<String> r = replica.sign(pkh, hex);
            String what = keyId + " " + v.get("message_id").asText() + ": " + r.body();
            if (req instanceof SigningRequest.Consensus c) {
                BucketKey b = new BucketKey(pkh, c.chainId(), c.kind());
                Decision d = WatermarkRule.apply(
                        Optional.ofNullable(model.get(b)),
                        Optional.empty(),
                        true,
                        new Reservation(b, c.level(), c.round(), Blake2b.hash256Hex(bytes)));
                if (d instanceof Decision.Refused refused) {
                    assertThat(r.statusCode()).as(what).isEqualTo(409);
                    assertThat(json(r).get(0).get("msg").asText()).isEqualTo(refused.message());
                    continue;
                }
                model.put(b, ((Decision.Granted) d).mark());
            } else if (req.magic().value() == 0x05) {
                assertThat(r.statusCode()).as(what).isEqualTo(403);
                continue;
            }
            assertThat(r.statusCode()).as(what).isEqualTo(200);
            String sig = json(r).get("signature").asText();
            assertThat(pk.verify(bytes, sig, SignatureVersion.LATEST)).as(what).isTrue();
            if (!keyId.startsWith("tz3")) {
                assertThat(sig).as(what).isEqualTo(v.get("signature").asText());
            }
            signed++;
        }
        assertThat(signed).isGreaterThanOrEqualTo(3);
    }

    private static long order(String hex) {
        try {
            SigningRequest r = RequestDecoder.decode(HexFormat.of().parseHex(hex));
            return r instanceof SigningRequest.Consensus c ? ((long) c.level() << 20) + c.round() : Long.MAX_VALUE;
        } catch (Exception e) {
            return Long.MAX_VALUE;
        }
    }

    @Test
    void anIdenticalRetryReturnsTheSameSignatureAndOtherBytesAreRefusedWith409() throws Exception {
        String a = attestation("11223344", 500, 2, 0x01);
        HttpResponse<String> first = replica.sign(TZ1, a);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        HttpResponse<String> retry = replica.sign(TZ1, a);
        assertThat(json(retry).get("signature").asText())
                .isEqualTo(json(first).get("signature").asText());
        HttpResponse<String> other = replica.sign(TZ1, attestation("11223344", 500, 2, 0x02));
        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(json(other).get(0).get("msg").asText())
                .isEqualTo("attestation level 500 and round 2 already signed with different data");
        HttpResponse<String> lower = replica.sign(TZ1, attestation("11223344", 499, 9, 0x02));
        assertThat(json(lower).get(0).get("msg").asText()).isEqualTo("attestation level 499 below high watermark 500");
        assertThat(replica.sign(TZ1, attestation("11223344", 500, 3, 0x02)).statusCode())
                .isEqualTo(200);
    }

    @Test
    void garbageTruncatedAndOversizeRequestsAreRefusedAndTheReplicaStaysHealthy() throws Exception {
        String good = attestation("55667788", 10, 0, 0x01);
        assertThat(replica.sign(TZ1, good.substring(0, 40)).statusCode()).isEqualTo(400); // truncated
        assertThat(replica.sign(TZ1, "zz").statusCode()).isEqualTo(400);
        assertThat(replica.sign("tz1notakey", good).statusCode()).isEqualTo(400);
        assertThat(replica.sign(TZ1, "11".repeat(33_000)).statusCode()).isEqualTo(400);
        try (Socket s = new Socket("127.0.0.1", replica.signerPort)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("\u0000\u0001garbage\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
                    .startsWith("HTTP/1.1 400");
        }
        assertThat(replica.get(replica.admin("/healthz")).statusCode()).isEqualTo(200);
        assertThat(replica.sign(TZ1, good).statusCode()).isEqualTo(200);
    }

    @Test
    void statusAndLogShowTheSingleReplicaAsLeader() throws Exception {
        JsonNode status = json(replica.get(replica.admin("/admin/status")));
        assertThat(status.get("role").asText()).isEqualTo("LEADER");
        assertThat(replica.sign(TZ1, attestation("99aabbcc", 3, 0, 0x01)).statusCode())
                .isEqualTo(200);
        JsonNode log = json(replica.get(replica.admin("/admin/log?key=" + TZ1 + "&limit=500")));
        assertThat(log.get("records").toString()).contains("\"level\":3");
        assertThat(replica.decisions()).anyMatch(l -> l.contains("key=" + TZ1) && l.contains("decision=signed"));
        assertThat(String.join("\n", replica.decisions()))
                .doesNotContain("edsk")
                .doesNotContain("spsk");
    }

    @Test
    void taquitosRemoteSignerSignsThroughAReplicaAndVerifiesTheSignature() throws Exception {
        Optional<Path> node = Tools.which("node");
        Optional<Path> npm = Tools.which("npm");
        assumeTrue(
                node.isPresent() && npm.isPresent(),
                "node and npm are not installed: skipping the Taquito"
                        + " RemoteSigner client test (.ci/prepare installs them)");
        Path work = Path.of("target", "taquito").toAbsolutePath();
        Files.createDirectories(work);
        for (String f : List.of("package.json", "remote-signer-check.js")) {
            try (var in = getClass().getResourceAsStream("/taquito/" + f)) {
                Files.copy(in, work.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!Files.isDirectory(work.resolve("node_modules/@taquito/remote-signer"))) {
            Tools.Result install = Tools.run(
                    work,
                    Duration.ofMinutes(5),
                    List.of(
                            npm.get().toString(),
                            "install",
                            "--prefix",
                            work.toString(),
                            "--no-audit",
                            "--no-fund",
                            "--save-exact"));
            assumeTrue(
                    install.exitCode() == 0,
                    "npm install of @taquito/remote-signer failed (is the npm registry" + " reachable?): skipping. "
                            + install.output());
        }
        String hex = attestation("0badc0de", 77, 0, 0x07);
        Tools.Result r = Tools.run(
                work,
                Duration.ofMinutes(2),
                List.of(
                        node.get().toString(),
                        "remote-signer-check.js",
                        "http://127.0.0.1:" + replica.signerPort,
                        TZ1,
                        hex,
                        attestation("0badc0de", 77, 0, 0x08)));
        assertThat(r.exitCode()).as(r.output()).isZero();
        String line = r.output()
                .lines()
                .filter(l -> l.startsWith("{"))
                .reduce((a, b) -> b)
                .orElseThrow();
        JsonNode out = JSON.readTree(line);
        assertThat(out.get("publicKey").asText())
                .isEqualTo(Vectors.key("tz1_bootstrap1").get("public_key").asText());
        assertThat(out.get("verified").asBoolean()).isTrue();
        assertThat(out.get("sameOnRetry").asBoolean()).isTrue();
        assertThat(out.get("conflict").asText()).isEqualTo("409");
        PublicKey pk = PublicKey.parse(out.get("publicKey").asText());
        assertThat(pk.verify(HexFormat.of().parseHex(hex), out.get("prefixSig").asText(), SignatureVersion.LATEST))
                .isTrue();
    }

    @Test
    void prometheusScrapesTheReplicaAndPromtoolAcceptsTheMetrics() throws Exception {
        Optional<Path> prometheus = Tools.which("prometheus");
        Optional<Path> promtool = Tools.which("promtool");
        assumeTrue(
                prometheus.isPresent() && promtool.isPresent(),
                "prometheus/promtool are not installed: skipping"
                        + " the real Prometheus test (Debian package prometheus; .ci/prepare installs it)");
        assertThat(replica.sign(TZ1, attestation("0badbeef", 5, 0, 0x01)).statusCode())
                .isEqualTo(200);
        String metrics = replica.get(replica.admin("/metrics")).body();
        Path work = dir.resolve("prometheus");
        Files.createDirectories(work);
        Files.writeString(work.resolve("metrics.txt"), metrics);
        Tools.Result check = Tools.run(
                work,
                Duration.ofSeconds(60),
                List.of("sh", "-c", "'" + promtool.get() + "' check metrics < metrics.txt"));
        assertThat(check.exitCode()).as(check.output()).isZero();

        int port = LoopbackPorts.one();
        Files.writeString(work.resolve("prometheus.yml"), """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                scrape_configs:
                  - job_name: bakeguard
                    scrape_interval: 1s
                    static_configs: [{targets: ['127.0.0.1:%d']}]
                """.formatted(replica.adminPort));
        Process p = new ProcessBuilder(
                        prometheus.get().toString(),
                        "--config.file=" + work.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + work.resolve("tsdb"),
                        "--web.listen-address=127.0.0.1:" + port)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("prometheus.log").toFile())
                .start();
        try {
            JsonNode term = awaitSeries(port, "bakeguard_raft_term", Duration.ofSeconds(60), p, work);
            assertThat(term.get(0).get("value").get(1).asDouble()).isPositive();
            JsonNode signed = awaitSeries(
                    port,
                    "bakeguard_sign_requests_total{key=\"" + TZ1 + "\",kind=\"attestation\",result=\"signed\"}",
                    Duration.ofSeconds(30),
                    p,
                    work);
            assertThat(signed.get(0).get("value").get(1).asDouble()).isGreaterThanOrEqualTo(1);
            assertThat(awaitSeries(port, "bakeguard_sign_duration_seconds_count", Duration.ofSeconds(10), p, work))
                    .isNotEmpty();
        } finally {
            p.destroy();
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** Queries Prometheus' HTTP API until {@code query} returns at least one series (bounded). */
    private static JsonNode awaitSeries(int port, String query, Duration max, Process p, Path work) throws Exception {
        long end = System.nanoTime() + max.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            assertThat(p.isAlive())
                    .as("prometheus exited: " + Files.readString(work.resolve("prometheus.log")))
                    .isTrue();
            try {
                HttpResponse<String> r = replica.get(java.net.URI.create("http://127.0.0.1:" + port
                        + "/api/v1/query?query=" + java.net.URLEncoder.encode(query, StandardCharsets.UTF_8)));
                last = r.body();
                if (r.statusCode() == 200) {
                    JsonNode result = JSON.readTree(r.body()).path("data").path("result");
                    if (result.size() > 0) {
                        return result;
                    }
                }
            } catch (java.io.IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no series for " + query + " within " + max + "; last answer: " + last);
    }
}
