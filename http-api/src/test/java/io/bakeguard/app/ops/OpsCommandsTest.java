package io.bakeguard.app.ops;

import static io.bakeguard.app.ops.TestIds.MAINNET;
import static io.bakeguard.app.ops.TestIds.tz1;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bakeguard.testkit.LoopbackPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ops commands against a stub admin API: rendering, exit codes and one-line errors. */
class OpsCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    StubAdmin n1;
    StubAdmin n2;

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws Exception {
        n1 = new StubAdmin();
        n2 = new StubAdmin();
    }

    @AfterEach
    void stop() {
        n1.close();
        n2.close();
    }

    private static String status(String self, String role, long commit, long applied, String peers) {
        return "{\"self_id\":\"" + self + "\",\"role\":\"" + role + "\",\"leader_id\":\"n1\",\"term\":3,"
                + "\"commit_index\":" + commit + ",\"applied_index\":" + applied + ",\"history_start_index\":1,"
                + "\"version\":\"0.1.0\",\"peers\":" + peers + "}";
    }

    private void threeMembers(String thirdAdmin) {
        String peers = "[{\"id\":\"n1\",\"raft_address\":\"127.0.0.1:9870\",\"admin\":\"" + n1.url()
                + "\",\"match_index\":40,\"last_contact_ms_ago\":0},"
                + "{\"id\":\"n2\",\"raft_address\":\"127.0.0.1:9871\",\"admin\":\"" + n2.url()
                + "\",\"match_index\":38,\"last_contact_ms_ago\":120},"
                + "{\"id\":\"n3\",\"raft_address\":\"127.0.0.1:9872\""
                + (thirdAdmin == null ? "" : ",\"admin\":\"" + thirdAdmin + "\"")
                + ",\"last_contact_ms_ago\":9000}]";
        n1.on("GET /admin/status", 200, status("n1", "LEADER", 40, 40, peers));
        n1.on("GET /readyz", 200, "{\"ready\":true}");
        n2.on("GET /admin/status", 200, status("n2", "FOLLOWER", 40, 38, "[]"));
        n2.on("GET /readyz", 503, "{\"ready\":false}");
    }

    @Test
    void unreachableAdminUrlExitsOneWithAOneLineHint() throws Exception {
        OpsCli.Result r = OpsCli.run("status", "--admin", "http://127.0.0.1:" + LoopbackPorts.one());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith("bakeguard status: cannot reach the admin API at http://127.0.0.1:")
                        .contains("connection refused")
                        .contains("pass --admin URL or set BAKEGUARD_ADMIN"));
    }

    @Test
    void theAdminUrlDefaultsToTheEnvironment() {
        threeMembers(null);

        OpsCli.Result r = OpsCli.run(Map.of("BAKEGUARD_ADMIN", n1.url()), "status");

        assertThat(r.exit()).isZero();
        assertThat(n1.requests).contains("GET /admin/status");
    }

    @Test
    void statusShowsEveryMemberAndAnUnreachableOneAsSuch() throws Exception {
        threeMembers("http://127.0.0.1:" + LoopbackPorts.one());

        OpsCli.Result r = OpsCli.run("status", "--admin", n1.url());

        assertThat(r.exit()).isZero();
        java.util.List<String> lines = r.out().lines().toList();
        {
            assertThat(lines.get(0)).isEqualTo("leader n1, term 3, 2/3 replicas reachable, 1 ready");
            assertThat(lines.get(1))
                    .matches("ID +ROLE +LEADER +TERM +COMMIT +APPLIED +LAG +LAST-CONTACT +READY +VERSION +ADMIN");
            assertThat(lines.get(2)).matches("n1 +leader +n1 +3 +40 +40 +0 +0ms ago +yes +0\\.1\\.0 +http://.*");
            assertThat(lines.get(3)).matches("n2 +follower +n1 +3 +40 +38 +2 +120ms ago +no +0\\.1\\.0 +http://.*");
            assertThat(lines.get(4)).matches("n3 +unreachable +- +- +- +- +- +9000ms ago +no +- +http://.*");
            assertThat(lines.get(5)).startsWith("n3: unreachable: connection refused");
        }
    }

    @Test
    void statusJsonCarriesTheSameFacts() throws Exception {
        threeMembers(null);

        OpsCli.Result r = OpsCli.run("status", "--admin", n1.url(), "--json");

        assertThat(r.exit()).isZero();
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.path("leader").asText()).isEqualTo("n1");
        assertThat(j.path("reachable").asInt()).isEqualTo(2);
        JsonNode n2j = j.path("replicas").get(1);
        assertThat(n2j.path("lag").asLong()).isEqualTo(2);
        assertThat(n2j.path("ready").asBoolean()).isFalse();
        assertThat(n2j.path("last_contact_ms_ago").asLong()).isEqualTo(120);
        JsonNode n3j = j.path("replicas").get(2);
        assertThat(n3j.path("reachable").asBoolean()).isFalse();
        assertThat(n3j.path("error").asText()).contains("admin URL unknown");
    }

    @Test
    void theTokenFromTheEnvironmentIsSentAsABearerAndARefusalSaysHowToPassIt() {
        n1.on("POST /admin/snapshot", 401, "{\"error\":\"this endpoint needs Authorization: Bearer <token>\"}");

        OpsCli.Result r = OpsCli.run(Map.of("BAKEGUARD_ADMIN_TOKEN", "s3cret"), "snapshot", "--admin", n1.url());

        assertThat(n1.authorizations).containsExactly("Bearer s3cret");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip().lines())
                .singleElement()
                .satisfies(l -> assertThat(l)
                        .contains("(401: this endpoint needs Authorization")
                        .endsWith("pass the admin token with --token-file FILE or BAKEGUARD_ADMIN_TOKEN"));
    }

    @Test
    void theTokenFileWinsOverTheEnvironment() throws Exception {
        Path f = Files.writeString(tmp.resolve("token"), "from-file\n");
        n1.on("POST /admin/snapshot", 200, "{\"snapshot_index\":77}");

        OpsCli.Result r = OpsCli.run(
                Map.of("BAKEGUARD_ADMIN_TOKEN", "from-env"),
                "snapshot",
                "--admin",
                n1.url(),
                "--token-file",
                f.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("snapshot taken at index 77\n");
        assertThat(n1.authorizations).containsExactly("Bearer from-file");
    }

    @Test
    void usageErrorsExitTwoOnOneLine() {
        assertThat(OpsCli.run("watermarks", "--chain", "notachain", "--admin", n1.url()))
                .satisfies(r -> {
                    assertThat(r.exit()).isEqualTo(2);
                    assertThat(r.err().strip().lines())
                            .singleElement()
                            .satisfies(l -> assertThat(l).contains("--chain 'notachain' is not a chain id"));
                });
        assertThat(OpsCli.run("status", "--admin", "ftp://x").exit()).isEqualTo(2);
        assertThat(OpsCli.run("status", "--bogus").exit()).isEqualTo(2);
        assertThat(OpsCli.run("log", "--limit", "0", "--admin", n1.url()).exit())
                .isEqualTo(2);
        assertThat(OpsCli.run("peers", "add", "n4", "no-port", "--admin", n1.url())
                        .exit())
                .isEqualTo(2);
        assertThat(OpsCli.run("watermarks", "import", "--admin", n1.url()).exit())
                .as("--octez or --signatory is required")
                .isEqualTo(2);
        assertThat(n1.requests).as("a usage error calls nothing").isEmpty();
    }

    private void oneBucket() {
        n1.on(
                "GET /admin/watermarks",
                200,
                "{\"watermarks\":[{\"key\":\"" + tz1(1) + "\",\"chain\":\"" + MAINNET + "\",\"kind\":\"attestation\","
                        + "\"level\":120,\"round\":1,\"digest\":\"" + TestIds.hex32(1) + "\",\"signature\":\"edsigX\"},"
                        + "{\"key\":\"" + tz1(1) + "\",\"chain\":\"" + MAINNET + "\",\"kind\":\"block\","
                        + "\"level\":119,\"round\":0,\"digest\":\"" + TestIds.hex32(2) + "\"}],"
                        + "\"floors\":[{\"key\":\"" + tz1(1) + "\",\"chain\":\"" + MAINNET + "\",\"level\":100}]}");
        n1.on(
                "GET /admin/log",
                200,
                "{\"history_start_index\":1,\"records\":[{\"index\":41,\"term\":3,\"time_ms\":1700000000000,"
                        + "\"proposer\":\"n2\",\"entry\":\"reserve\",\"key\":\"" + tz1(1) + "\",\"chain\":\"" + MAINNET
                        + "\",\"kind\":\"attestation\",\"level\":120,\"round\":1,\"digest\":\"" + TestIds.hex32(1)
                        + "\",\"decision\":\"granted\",\"previous_hash\":\"" + "0".repeat(64) + "\",\"hash\":\""
                        + "a".repeat(64) + "\"}]}");
    }

    @Test
    void watermarksTableShowsSignedWhenAndByFromTheLog() {
        oneBucket();

        OpsCli.Result r = OpsCli.run("watermarks", "--admin", n1.url(), "--chain", "mainnet");

        assertThat(r.exit()).isZero();
        assertThat(n1.requests).contains("GET /admin/watermarks?chain=" + MAINNET);
        java.util.List<String> lines = r.out().lines().toList();
        {
            assertThat(lines.get(0)).matches("KEY +CHAIN +KIND +LEVEL +ROUND +DIGEST +SIGNED +WHEN +BY");
            assertThat(lines.get(1))
                    .matches(tz1(1) + " +" + MAINNET + " +attestation +120 +1 +[0-9a-f]{16}\\.\\.\\. +yes"
                            + " +2023-11-14 22:13:20Z +n2");
            assertThat(lines.get(2))
                    .matches(tz1(1) + " +" + MAINNET + " +block +119 +0 +[0-9a-f]{16}\\.\\.\\. +no +- +-");
            assertThat(lines).contains("floors (requests at or below are refused):");
            assertThat(lines.get(lines.size() - 1)).matches(tz1(1) + " +" + MAINNET + " +100 +whole level");
        }
    }

    @Test
    void watermarksJsonAddsSignedTimeAndReplica() throws Exception {
        oneBucket();

        JsonNode j = JSON.readTree(
                OpsCli.run("watermarks", "--admin", n1.url(), "--json").out());

        JsonNode att = j.path("watermarks").get(0);
        assertThat(att.path("signed").asBoolean()).isTrue();
        assertThat(att.path("by").asText()).isEqualTo("n2");
        assertThat(att.path("log_index").asLong()).isEqualTo(41);
        assertThat(j.path("watermarks").get(1).has("by")).isFalse();
        assertThat(j.path("floors").get(0).path("level").asInt()).isEqualTo(100);
    }

    @Test
    void logPrintsATableOrJsonRecords() throws Exception {
        oneBucket();

        OpsCli.Result t =
                OpsCli.run("log", "--admin", n1.url(), "--key", tz1(1), "--kind", "attestation", "--limit", "5");
        OpsCli.Result j = OpsCli.run("log", "--admin", n1.url(), "--json", "--since-level", "100");

        assertThat(n1.requests).contains("GET /admin/log?limit=5&key=" + tz1(1) + "&kind=attestation&history=all");
        assertThat(t.out().lines().toList().get(1))
                .matches("41 +2023-11-14 22:13:20Z +n2 +reserve +" + tz1(1) + " +" + MAINNET
                        + " +attestation +120 +1 +granted +-");
        assertThat(JSON.readTree(j.out()).get(0).path("hash").asText()).isEqualTo("a".repeat(64));
        assertThat(n1.requests).contains("GET /admin/log?limit=50&since=100&history=all");
    }

    @Test
    void logSaysWhereTheHistoryRestartedWhenTheReplicaSetOneAside() {
        n1.on(
                "GET /admin/log",
                200,
                "{\"history_start_index\":500,\"earlier_histories\":[{\"file\":\"watermarks.log.before-500.7\","
                        + "\"start_index\":1,\"bytes\":9000}],\"records\":[{\"index\":41,\"time_ms\":1700000000000,"
                        + "\"proposer\":\"n2\",\"entry\":\"reserve\",\"kind\":\"attestation\",\"level\":120,"
                        + "\"round\":1,\"decision\":\"granted\"}]}");

        OpsCli.Result t = OpsCli.run("log", "--admin", n1.url());

        assertThat(t.exit()).isZero();
        assertThat(n1.requests).containsExactly("GET /admin/log?limit=50&history=all");
        assertThat(t.out().lines().toList())
                .last()
                .isEqualTo("(this replica's current history starts at index 500; older records come from 1 history"
                        + " it set aside, starting at index 1)");
        oneBucket();
        assertThat(OpsCli.run("log", "--admin", n1.url()).out()).doesNotContain("set aside");
    }

    @Test
    void followPollsAfterTheLastIndexAndStreamsNewRecords() {
        oneBucket();
        n1.on(
                "GET /admin/log?after=41&limit=10000&history=all",
                200,
                "{\"records\":[{\"index\":42,\"time_ms\":1700000001000,"
                        + "\"proposer\":\"n1\",\"entry\":\"signature\",\"kind\":\"attestation\",\"level\":120,\"round\":1,"
                        + "\"decision\":\"recorded\"}]}");

        OpsCli.Result r = OpsCli.run("log", "--admin", n1.url(), "--follow", "--follow-for", "1", "--json");

        assertThat(r.exit()).isZero();
        assertThat(n1.requests).contains("GET /admin/log?after=41&limit=10000&history=all");
        assertThat(r.out().lines().toList())
                .first()
                .satisfies(l -> assertThat(l).contains("\"index\":41"));
        assertThat(r.out()).contains("\"index\":42");
    }

    @Test
    void raiseRefusesToGoDown() {
        n1.on(
                "POST /admin/watermarks/raise",
                200,
                "{\"dry_run\":true,\"current\":\"500\",\"new\":\"(400,0)\"," + "\"would_raise\":false}");

        OpsCli.Result r = OpsCli.run(
                "watermarks",
                "raise",
                "--admin",
                n1.url(),
                "--key",
                tz1(1),
                "--chain",
                "mainnet",
                "--level",
                "400",
                "--round",
                "0",
                "--yes");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("floor of " + tz1(1) + " on " + MAINNET + ": 500 -> (400,0)");
        assertThat(r.err()).contains("floors only move up");
        assertThat(n1.bodies).singleElement().satisfies(b -> assertThat(b).contains("\"dry_run\":true"));
    }

    @Test
    void raiseDryRunChangesNothingAndWithoutYesNeedsATerminal() {
        n1.on(
                "POST /admin/watermarks/raise",
                200,
                "{\"dry_run\":true,\"current\":\"none\",\"new\":\"600\"," + "\"would_raise\":true}");
        String[] base = {
            "watermarks", "raise", "--admin", n1.url(), "--key", tz1(1), "--chain", MAINNET, "--level", "600"
        };

        OpsCli.Result dry = OpsCli.run(concat(base, "--dry-run"));
        OpsCli.Result noYes = OpsCli.run(base);

        assertThat(dry.exit()).isZero();
        assertThat(dry.out()).endsWith("dry run: nothing changed\n");
        assertThat(noYes.exit()).isEqualTo(2);
        assertThat(noYes.err()).contains("no terminal to confirm on: check the --dry-run output, then pass --yes");
        assertThat(n1.bodies).allSatisfy(b -> assertThat(b).contains("\"dry_run\":true"));
    }

    @Test
    void importSendsTheParsedMarksAndReportsWhatMovesUp() throws Exception {
        Files.writeString(
                tmp.resolve("block_high_watermarks"),
                "{\"" + MAINNET + "\":{\"" + tz1(1) + "\":{\"level\":900,\"round\":0,\"hash\":\"" + TestIds.hex32(3)
                        + "\"}}}");
        n1.on(
                "POST /admin/watermarks/import",
                200,
                "{\"dry_run\":true,\"marks\":[{\"key\":\"" + tz1(1)
                        + "\",\"chain\":\"" + MAINNET
                        + "\",\"kind\":\"block\",\"level\":900,\"round\":0,\"current\":\"none\","
                        + "\"would_raise\":true}]}");

        OpsCli.Result r = OpsCli.run("watermarks", "import", "--admin", n1.url(), "--octez", tmp.toString(), "--yes");

        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains("read 1 marks from")
                .contains("1 of 1 buckets would move up")
                .contains("imported: 1");
        JsonNode sent = JSON.readTree(n1.bodies.get(1));
        assertThat(sent.path("dry_run").asBoolean()).isFalse();
        assertThat(sent.path("marks").get(0).path("kind").asText()).isEqualTo("block");
        assertThat(sent.path("marks").get(0).path("hash").asText()).isEqualTo(TestIds.hex32(3));
    }

    @Test
    void anImportOfAnUnreadableDirectoryFailsOnOneLineNamingTheFile() throws Exception {
        Files.writeString(tmp.resolve("attestation_high_watermarks"), "{not json");

        OpsCli.Result r = OpsCli.run("watermarks", "import", "--admin", n1.url(), "--octez", tmp.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip().lines())
                .singleElement()
                .satisfies(l -> assertThat(l)
                        .contains("cannot import: " + tmp.resolve("attestation_high_watermarks") + ": not valid JSON"));
        assertThat(n1.requests).isEmpty();
    }

    @Test
    void serverRefusalsKeepTheServersMessage() {
        n1.on("POST /admin/leader", 409, "{\"error\":\"n9 is not a member\"}");

        OpsCli.Result r = OpsCli.run("leader", "transfer", "n9", "--admin", n1.url());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err())
                .isEqualTo("bakeguard leader transfer: " + n1.url()
                        + " answered 409 to POST /admin/leader: n9 is not a member\n");
    }

    @Test
    void peersAddAndRemoveCallTheMembershipEndpoints() throws Exception {
        n1.on("POST /admin/peers", 200, "{\"added\":\"n4\",\"address\":\"127.0.0.1:9873\"}");
        n1.on("DELETE /admin/peers/n2", 200, "{\"removed\":\"n2\"}");

        OpsCli.Result add = OpsCli.run("peers", "add", "n4", "127.0.0.1:9873", "--admin", n1.url());
        OpsCli.Result rm = OpsCli.run("peers", "remove", "n2", "--admin", n1.url());

        assertThat(add.out()).isEqualTo("added n4 at 127.0.0.1:9873\n");
        assertThat(rm.out()).isEqualTo("removed n2\n");
        assertThat(JSON.readTree(n1.bodies.get(0)).path("address").asText()).isEqualTo("127.0.0.1:9873");
    }

    @Test
    void verifyOfASingleReplicaClusterHasNothingToCompareAndSucceeds() {
        n1.on("GET /admin/status", 200, status("n1", "LEADER", 5, 5, "[{\"id\":\"n1\",\"raft_address\":\"x:1\"}]"));
        n1.on("GET /readyz", 200, "{}");

        OpsCli.Result r = OpsCli.run("verify", "--admin", n1.url());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("n1 is the only member: nothing to compare it with\n");
    }

    @Test
    void verifyFailsWhenAMemberCannotBeReached() throws Exception {
        threeMembers("http://127.0.0.1:" + LoopbackPorts.one());
        n1.on("GET /admin/log", 200, "{\"records\":[]}");
        n2.on("GET /admin/log", 200, "{\"records\":[]}");

        OpsCli.Result r = OpsCli.run("verify", "--admin", n1.url());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("n2: agrees with n1 (no record in common yet)");
        assertThat(r.err().strip().lines())
                .singleElement()
                .satisfies(l -> assertThat(l)
                        .startsWith("bakeguard verify: n3 not compared: unreachable: connection refused")
                        .endsWith("start it or pass every replica's --admin URL"));
    }

    @Test
    void completionPrintsABashScriptCoveringTheOpsCommands() {
        OpsCli.Result r = OpsCli.run("completion");

        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .startsWith("#!/usr/bin/env bash")
                .contains("complete -F")
                .contains("watermarks")
                .contains("--since-level")
                .contains("--signatory");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
