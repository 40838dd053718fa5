package io.bakeguard.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AdminApiTest {
    static final String TOKEN = "0123456789abcdef0123";
    static final String TZ1 = SignerApiTest.TZ1;
    static final String CHAIN = "NetXdQprcVkpaWU";
    static ApiFixture api;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiFixture(List.of(), Duration.ofSeconds(5), true, Optional.of(TOKEN));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    HttpResponse<String> post(String path, String body, boolean withToken) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.adminUri(path))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (withToken) {
            b.header("Authorization", "Bearer " + TOKEN);
        }
        return api.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode getJson(String path) throws Exception {
        HttpResponse<String> r = api.get(api.adminUri(path));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return SignerApiTest.json(r);
    }

    @Test
    void healthAndReadinessAnswer() throws Exception {
        assertThat(getJson("/healthz").get("status").asText()).isEqualTo("alive");
        assertThat(getJson("/readyz").get("ready").asBoolean()).isTrue();
    }

    @Test
    void statusDescribesTheCluster() throws Exception {
        JsonNode s = getJson("/admin/status");
        assertThat(s.get("self_id").asText()).isEqualTo("t1");
        assertThat(s.get("role").asText()).isEqualTo("LEADER");
        assertThat(s.get("peers").get(0).get("raft_address").asText()).isEqualTo("127.0.0.1:1");
        assertThat(s.get("peers").get(0).get("admin").asText()).isEqualTo("http://127.0.0.1:1");
    }

    @Test
    void damageFoundInTheWatermarkLogShowsInTheStatusAndTheGauge() throws Exception {
        assertThat(getJson("/admin/status").has("watermark_log_damage")).isFalse();
        assertThat(api.get(api.adminUri("/metrics")).body()).contains("bakeguard_watermark_log_damaged 0.0");
        api.guard.logDamage = "watermark log /x is damaged at line 7 (hash mismatch at index 9)";
        try {
            assertThat(getJson("/admin/status").get("watermark_log_damage").asText())
                    .isEqualTo("watermark log /x is damaged at line 7 (hash mismatch at index 9)");
            assertThat(api.get(api.adminUri("/metrics")).body()).contains("bakeguard_watermark_log_damaged 1.0");
        } finally {
            api.guard.logDamage = null;
        }
    }

    @Test
    void mutatingEndpointsNeedTheBearerToken() throws Exception {
        String body = "{\"key\":\"" + TZ1 + "\",\"chain\":\"mainnet\",\"level\":5,\"dry_run\":true}";
        assertThat(post("/admin/watermarks/raise", body, false).statusCode()).isEqualTo(401);
        HttpResponse<String> r = api.http.send(
                HttpRequest.newBuilder(api.adminUri("/admin/snapshot"))
                        .header("Authorization", "Bearer " + TOKEN + "x")
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(post("/admin/watermarks/raise", body, true).statusCode()).isEqualTo(200);
    }

    @Test
    void raisingAFloorOnlyMovesUpAndDryRunChangesNothing() throws Exception {
        String key = "tz2BshCti5CiYFqXBMt4LrRBpWgGghm2DLXF";
        JsonNode dry = SignerApiTest.json(post(
                "/admin/watermarks/raise",
                "{\"key\":\"" + key + "\",\"chain\":\"" + CHAIN + "\",\"level\":100,\"dry_run\":true}",
                true));
        assertThat(dry.get("would_raise").asBoolean()).isTrue();
        assertThat(getJson("/admin/watermarks?key=" + key).get("floors")).isEmpty();
        HttpResponse<String> raised = post(
                "/admin/watermarks/raise", "{\"key\":\"" + key + "\",\"chain\":\"" + CHAIN + "\",\"level\":100}", true);
        assertThat(raised.statusCode()).as(raised.body()).isEqualTo(200);
        assertThat(getJson("/admin/watermarks?key=" + key)
                        .get("floors")
                        .get(0)
                        .get("level")
                        .asInt())
                .isEqualTo(100);
        HttpResponse<String> lower = post(
                "/admin/watermarks/raise", "{\"key\":\"" + key + "\",\"chain\":\"" + CHAIN + "\",\"level\":50}", true);
        assertThat(lower.statusCode()).isEqualTo(409);
    }

    @Test
    void importTakesMarksAndRefusesBadOnes() throws Exception {
        String key = "tz3NsXYUAnch7qUE3zY9ViiSQnHcZXtMscL9";
        String mark = "{\"key\":\"" + key + "\",\"chain\":\"" + CHAIN
                + "\",\"kind\":\"attestation\",\"level\":42,\"round\":1}";
        HttpResponse<String> r = post("/admin/watermarks/import", "{\"marks\":[" + mark + "]}", true);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode marks = getJson("/admin/watermarks?key=" + key).get("watermarks");
        assertThat(marks.get(0).get("level").asInt()).isEqualTo(42);
        assertThat(post("/admin/watermarks/import", "{\"marks\":[{\"key\":\"nope\"}]}", true)
                        .statusCode())
                .isEqualTo(400);
        assertThat(post("/admin/watermarks/import", "[1,2]", true).statusCode()).isEqualTo(400);
        assertThat(post("/admin/watermarks/import", "{\"marks\":[" + mark.replace("attestation", "vote") + "]}", true)
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void theLogListsDecisionsAndItsHashes() throws Exception {
        assertThat(api.sign(TZ1, SignerApiTest.attestation("0a0b0c0d", 7, 0, 3)).statusCode())
                .isEqualTo(200);
        JsonNode log = getJson("/admin/log?key=" + TZ1 + "&limit=50");
        assertThat(log.get("records")).isNotEmpty();
        assertThat(log.get("earlier_histories")).isEmpty();
        assertThat(getJson("/admin/log?key=" + TZ1 + "&limit=50&history=all").get("records"))
                .isEqualTo(log.get("records"));
        JsonNode first = log.get("records").get(0);
        assertThat(first.get("key").asText()).isEqualTo(TZ1);
        long index = first.get("index").asLong();
        assertThat(getJson("/admin/log/hash?index=" + index).get("hash").asText())
                .isEqualTo(first.get("hash").asText());
        assertThat(api.get(api.adminUri("/admin/log/hash?index=999999")).statusCode())
                .isEqualTo(404);
        assertThat(getJson("/admin/log?after=" + index)
                        .get("records")
                        .get(0)
                        .get("index")
                        .asLong())
                .isGreaterThan(index);
        assertThat(api.get(api.adminUri("/admin/log?limit=0")).statusCode()).isEqualTo(400);
        assertThat(api.get(api.adminUri("/admin/log?since=x")).statusCode()).isEqualTo(400);
        assertThat(api.get(api.adminUri("/admin/log?history=old")).statusCode()).isEqualTo(400);
    }

    @Test
    void membershipChangesReportTheGuardsRefusal() throws Exception {
        HttpResponse<String> r = post("/admin/peers", "{\"id\":\"n9\",\"address\":\"127.0.0.1:9\"}", true);
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(SignerApiTest.json(r).get("error").asText()).contains("single test replica");
        assertThat(post("/admin/peers", "{\"id\":\"n9\"}", true).statusCode()).isEqualTo(400);
    }

    @Test
    void wrongMethodsAndUnknownPathsAreRefused() throws Exception {
        assertThat(api.get(api.adminUri("/admin/snapshot")).statusCode()).isEqualTo(405);
        assertThat(post("/metrics", "", true).statusCode()).isEqualTo(405);
        assertThat(api.get(api.adminUri("/admin/nothing")).statusCode()).isEqualTo(404);
    }

    @Test
    void metricsCarryEveryDesignedName() throws Exception {
        assertThat(api.sign(TZ1, SignerApiTest.attestation("0a0b0c0e", 8, 0, 3)).statusCode())
                .isEqualTo(200);
        api.sign(TZ1, SignerApiTest.attestation("0a0b0c0e", 8, 0, 4));
        api.metrics.watermarks(api.guard.localWatermarks());
        String text = api.get(api.adminUri("/metrics")).body();
        assertThat(text)
                .contains("bakeguard_sign_requests_total{key=\"" + TZ1 + "\",kind=\"attestation\",result=\"signed\"}")
                .contains("result=\"refused_watermark\"")
                .contains("bakeguard_sign_duration_seconds_bucket{kind=\"attestation\",phase=\"consensus\"")
                .contains("phase=\"sign\"")
                .contains("phase=\"total\"")
                .contains("bakeguard_watermark_level{chain=")
                .contains("bakeguard_watermark_round{chain=")
                .contains("bakeguard_raft_role 2")
                .contains("bakeguard_raft_term ")
                .contains("bakeguard_raft_commit_index ")
                .contains("bakeguard_raft_applied_index ")
                .contains("bakeguard_raft_leader_changes_total ")
                .contains("jvm_memory_used_bytes")
                .contains("process_uptime_seconds");
    }

    @Test
    void knownKeysAndProofOfPossessionWorkWhenEnabled() throws Exception {
        JsonNode known = SignerApiTest.json(api.get(api.signerUri("/known_keys")));
        assertThat(known.get("known_keys")).hasSize(4);
        String tz4 = "tz4EECtMxAuJ9UDLaiMZH7G1GCFYUWsj8HZn";
        HttpResponse<String> pop = api.get(api.signerUri("/bls_prove_possession/" + tz4));
        assertThat(pop.statusCode()).as(pop.body()).isEqualTo(200);
        JsonNode expected = Vectors.load("bls.json");
        assertThat(SignerApiTest.json(pop).get("bls_prove_possession").asText())
                .isEqualTo(
                        expected.get("proofs_of_possession").get(0).get("proof").asText());
        assertThat(api.get(api.signerUri("/bls_prove_possession/" + TZ1)).statusCode())
                .isEqualTo(400);
        assertThat(api.get(URI.create(api.signerUri("/bls_prove_possession/" + tz4) + "?bls_pk=edpkx"))
                        .statusCode())
                .isEqualTo(400);
    }
}
