package io.bakeguard.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bakeguard.app.Bakeguard;
import io.bakeguard.core.crypto.Base58Check;
import io.bakeguard.core.crypto.Prefix;
import io.bakeguard.http.Vectors;
import io.bakeguard.testkit.LoopbackPorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ops commands (design.md s.6) against three, then four, real {@code bakeguard serve} JVMs: import
 * and raise guard the first signatures, every read command's table and JSON after a signing sequence,
 * {@code verify} on a healthy cluster and on a replica whose watermark log was altered, and
 * membership changes while signing goes on.
 */
@Tag("slow")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpsCommandsAcceptanceTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TZ1 = "tz1KqTpEZ7Yob7QbPE4Hy4Wo8fHG8LhKxZSx";
    /** Mainnet's chain id bytes, as in the http-api acceptance tests. */
    static final String CHAIN_HEX = "7a06a770";

    static final String CHAIN =
            Base58Check.encode(Prefix.CHAIN_ID, HexFormat.of().parseHex(CHAIN_HEX));
    /** The key's default policy: no first use, so every bucket needs an import or a floor first. */
    static final String KEYS = "keys:\n  - secret-key-file: keys/baker.key\n";

    @TempDir
    static Path dir;

    static final List<BakeguardProcess> replicas = new ArrayList<>();

    record Run(int exit, String out, String err) {}

    @BeforeAll
    static void start() throws Exception {
        int[] ports = LoopbackPorts.reserve(12);
        for (int i = 0; i < 4; i++) {
            replicas.add(new BakeguardProcess(
                    "n" + (i + 1), dir.resolve("n" + (i + 1)), ports[3 * i], ports[3 * i + 1], ports[3 * i + 2]));
        }
        String cluster = BakeguardProcess.clusterYaml(replicas.subList(0, 3));
        for (BakeguardProcess p : replicas) {
            BakeguardProcess.secretFile(
                    p.dir.resolve("keys"),
                    "baker.key",
                    "unencrypted:"
                            + Vectors.key("tz1_bootstrap1").get("secret_key").asText());
        }
        for (BakeguardProcess p : replicas.subList(0, 3)) {
            p.start(cluster, "4s", KEYS);
        }
        for (BakeguardProcess p : replicas.subList(0, 3)) {
            p.awaitReady(Duration.ofSeconds(120));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (BakeguardProcess p : replicas) {
            p.close();
        }
    }

    static BakeguardProcess n(int i) {
        return replicas.get(i - 1);
    }

    static String admin(int i) {
        return "http://127.0.0.1:" + n(i).adminPort;
    }

    /** Runs {@code bakeguard ARGS} in-process, as the command line does. */
    static Run bakeguard(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Bakeguard.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    static Run ok(String... args) {
        Run r = bakeguard(args);
        assertThat(r.exit())
                .as("bakeguard %s\nout: %s\nerr: %s", String.join(" ", args), r.out(), r.err())
                .isZero();
        return r;
    }

    static String attestation(int level, int round, int fill) {
        return SingleReplicaAcceptanceTest.attestation(CHAIN_HEX, level, round, fill);
    }

    /** A 0x12 preattestation (tag 20) with the same layout as the 0x13 attestation (spec s.3.3). */
    static String preattestation(int level, int round, int fill) {
        return "12" + attestation(level, round, fill).substring(2, 2 + 8 + 64) + "14"
                + attestation(level, round, fill).substring(2 + 8 + 64 + 2);
    }

    static int sign(int replica, String hex) throws Exception {
        HttpResponse<String> r = n(replica).sign(TZ1, hex);
        return r.statusCode();
    }

    @Test
    @Order(1)
    void statusShowsThreeReadyMembersAndOneLeader() throws Exception {
        Run table = ok("status", "--admin", admin(1));
        Run json = ok("status", "--admin", admin(1), "--json");

        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0)).matches("leader n[123], term \\d+, 3/3 replicas reachable, 3 ready");
        assertThat(lines.get(1)).startsWith("ID").contains("LAST-CONTACT").contains("VERSION");
        assertThat(lines.subList(2, 5))
                .allSatisfy(l -> assertThat(l).matches("n[123] +(leader|follower) +n[123] .*yes .*"));
        JsonNode j = JSON.readTree(json.out());
        assertThat(j.path("replicas")).hasSize(3);
        assertThat(j.path("replicas").findValuesAsText("role")).containsOnlyOnce("LEADER");
    }

    @Test
    @Order(2)
    void withoutAnImportOrAFloorTheKeyIsRefusedOnThisChain() throws Exception {
        assertThat(sign(1, attestation(500, 0, 1))).isEqualTo(409);
    }

    @Test
    @Order(3)
    void anOctezImportRaisesTheMarksAndARequestBelowThemIsRefused() throws Exception {
        Path octez = Files.createDirectories(dir.resolve("octez-signer"));
        String digest = HexFormat.of().formatHex(new byte[32]).replace('0', 'c');
        Files.writeString(
                octez.resolve("attestation_high_watermarks"),
                "{\"" + CHAIN + "\": {\"" + TZ1 + "\": {\"level\": 1000, \"round\": 0, \"hash\": \"" + digest
                        + "\", \"signature\": \"edsigtXomBKi5CTRf5cjATJWSyaRvhfYNHqSUGrn4SdbYRcGwQrUGjzEfQDTuqHhuA8b2d8NarZjz8TRf65WkpQmo423BtomS8Q\"}}}");
        Files.writeString(
                octez.resolve("block_high_watermarks"),
                "{\"" + CHAIN + "\": {\"" + TZ1 + "\": {\"level\": 1000, \"round\": 0}}}");

        Run dry = ok("watermarks", "import", "--admin", admin(2), "--octez", octez.toString(), "--dry-run");
        assertThat(dry.out()).contains("2 of 2 buckets would move up").endsWith("dry run: nothing changed\n");
        assertThat(JSON.readTree(ok("watermarks", "--admin", admin(1), "--json").out())
                        .path("watermarks"))
                .as("a dry run changes nothing")
                .isEmpty();

        Run done = ok("watermarks", "import", "--admin", admin(2), "--octez", octez.toString(), "--yes");
        assertThat(done.out()).contains("imported: 2 buckets raised");

        assertThat(sign(1, attestation(999, 0, 1)))
                .as("below the imported mark")
                .isEqualTo(409);
        assertThat(sign(3, attestation(1000, 0, 1)))
                .as("at the imported mark, other bytes")
                .isEqualTo(409);
        assertThat(sign(1, attestation(1001, 0, 1))).as("above it").isEqualTo(200);

        Run again = ok("watermarks", "import", "--admin", admin(1), "--octez", octez.toString(), "--yes");
        assertThat(again.out()).contains("nothing to import");
    }

    @Test
    @Order(4)
    void aSignatoryImportRaisesThePreattestationBucket() throws Exception {
        Path wm = Files.createDirectories(dir.resolve("signatory").resolve("watermark_v2"));
        Files.writeString(
                wm.resolve(CHAIN + ".json"),
                "{\"" + TZ1 + "\": {\"preattestation\": {\"level\": 1100, \"round\": 2, \"hash\": "
                        + "\"vh2THNfr1pU3TjJyJkw7BKq19suqMX1W9PXRVAgpueELhGTAuhSx\"}}}");

        ok(
                "watermarks",
                "import",
                "--admin",
                admin(3),
                "--signatory",
                dir.resolve("signatory").toString(),
                "--yes");

        assertThat(sign(2, preattestation(1100, 1, 7))).isEqualTo(409);
        assertThat(sign(2, preattestation(1100, 3, 7))).isEqualTo(200);
    }

    @Test
    @Order(5)
    void raiseOnlyMovesUpAndItsFloorRefusesWhatIsBelow() throws Exception {
        Run raised = ok(
                "watermarks", "raise", "--admin", admin(1), "--key", TZ1, "--chain", CHAIN, "--level", "1200", "--yes");
        assertThat(raised.out()).contains("-> 1200").contains("raised: floor of " + TZ1);

        assertThat(sign(2, attestation(1150, 0, 2)))
                .as("under the floor, above the mark")
                .isEqualTo(409);
        assertThat(sign(2, attestation(1200, 5, 2))).as("the whole floor level").isEqualTo(409);
        assertThat(sign(2, attestation(1201, 0, 2))).isEqualTo(200);

        Run down = bakeguard(
                "watermarks", "raise", "--admin", admin(2), "--key", TZ1, "--chain", CHAIN, "--level", "1100", "--yes");
        assertThat(down.exit()).isEqualTo(1);
        assertThat(down.err().strip().lines())
                .singleElement()
                .satisfies(l -> assertThat(l)
                        .contains("is not above the current floor 1200")
                        .contains("floors only move up"));
        // 7a06a770 is mainnet's chain id: the alias names the same floor.
        Run alias = raiseToFiveDryRun("mainnet");
        assertThat(alias.exit()).isEqualTo(1);
        assertThat(alias.out()).isEqualTo("floor of " + TZ1 + " on NetXdQprcVkpaWU: 1200 -> 5\n");
        String other = Base58Check.encode(Prefix.CHAIN_ID, new byte[] {1, 2, 3, 4});
        Run elsewhere = raiseToFiveDryRun(other);
        assertThat(elsewhere.exit()).as(elsewhere.err()).isZero();
        assertThat(elsewhere.out()).contains("none -> 5").endsWith("dry run: nothing changed\n");
    }

    @Test
    @Order(6)
    void afterASigningSequenceWatermarksShowWhatWasSignedWhenAndByWhom() throws Exception {
        for (int level = 1300; level < 1304; level++) {
            assertThat(sign(1 + level % 3, preattestation(level, 0, 3))).isEqualTo(200);
            assertThat(sign(1 + level % 3, attestation(level, 0, 3))).isEqualTo(200);
            assertThat(sign(1 + (level + 1) % 3, attestation(level, 0, 3)))
                    .as("a retry")
                    .isEqualTo(200);
            assertThat(sign(1 + (level + 2) % 3, attestation(level, 0, 4)))
                    .as("other bytes")
                    .isEqualTo(409);
        }

        Run table = ok("watermarks", "--admin", admin(1), "--key", TZ1);
        Run json = ok("watermarks", "--admin", admin(1), "--key", TZ1, "--chain", CHAIN, "--json");

        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0)).matches("KEY +CHAIN +KIND +LEVEL +ROUND +DIGEST +SIGNED +WHEN +BY");
        assertThat(lines)
                .anySatisfy(l -> assertThat(l)
                        .matches(TZ1 + " +" + CHAIN
                                + " +attestation +1303 +0 +[0-9a-f]{16}\\.\\.\\. +yes +\\d{4}-.*Z +n2"));
        assertThat(lines)
                .anySatisfy(l -> assertThat(l)
                        .as("an imported mark: no digest, no signature, no reserve record")
                        .matches(TZ1 + " +" + CHAIN + " +block +1000 +0 +\\S+ +no +- +-"));
        assertThat(lines).contains("floors (requests at or below are refused):");
        assertThat(lines.get(lines.size() - 1)).matches(TZ1 + " +" + CHAIN + " +1200 +whole level");

        JsonNode marks = JSON.readTree(json.out()).path("watermarks");
        JsonNode att = null;
        for (JsonNode m : marks) {
            if (m.path("kind").asText().equals("attestation")) {
                att = m;
            }
        }
        assertThat(att).isNotNull();
        assertThat(att.path("level").asInt()).isEqualTo(1303);
        assertThat(att.path("signed").asBoolean()).isTrue();
        assertThat(att.path("signature").asText()).startsWith("edsig");
        assertThat(att.path("by").asText()).as("level 1303 went to n2").isEqualTo("n2");
        assertThat(att.path("time_ms").asLong()).isPositive();
    }

    @Test
    @Order(7)
    void logShowsTheDecisionsAsATableAsJsonAndFollowsNewOnes() throws Exception {
        Run table = ok(
                "log",
                "--admin",
                admin(2),
                "--key",
                TZ1,
                "--kind",
                "attestation",
                "--since-level",
                "1300",
                "--limit",
                "100");
        Run json = ok("log", "--admin", admin(3), "--json", "--limit", "500");

        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0)).matches("INDEX +TIME +BY +ENTRY +KEY +CHAIN +KIND +LEVEL +ROUND +DECISION +REASON");
        assertThat(lines)
                .anySatisfy(l -> assertThat(l)
                        .matches("\\d+ +.*Z +n\\d +reserve +" + TZ1 + " +" + CHAIN
                                + " +attestation +1302 +0 +refused +attestation level 1302 and round 0 already signed with different"
                                + " data"));
        assertThat(lines.subList(1, lines.size())).allSatisfy(l -> assertThat(l).contains(" attestation "));
        JsonNode records = JSON.readTree(json.out());
        assertThat(records.findValuesAsText("entry")).contains("import", "floor", "reserve", "signature");
        for (int i = 1; i < records.size(); i++) {
            assertThat(records.get(i).path("previous_hash").asText())
                    .as(
                            "the chain links record %d",
                            records.get(i).path("index").asLong())
                    .isEqualTo(records.get(i - 1).path("hash").asText());
        }

        CompletableFuture<Run> follow = CompletableFuture.supplyAsync(
                () -> bakeguard("log", "--admin", admin(1), "--follow", "--follow-for", "6", "--json", "--limit", "1"));
        Thread.sleep(2500);
        assertThat(sign(2, attestation(1310, 0, 5))).isEqualTo(200);
        Run followed = follow.get(30, TimeUnit.SECONDS);
        assertThat(followed.exit()).isZero();
        assertThat(followed.out().lines().map(l -> {
                    try {
                        return JSON.readTree(l);
                    } catch (Exception e) {
                        throw new AssertionError("not one JSON object per line: " + l);
                    }
                }))
                .anySatisfy(r -> {
                    assertThat(r.path("level").asInt()).isEqualTo(1310);
                    assertThat(r.path("entry").asText()).isEqualTo("reserve");
                });
    }

    @Test
    @Order(8)
    void verifyPassesOnTheHealthyCluster() throws Exception {
        awaitApplied();
        Run r = ok("verify", "--admin", admin(1));
        Run j = ok("verify", "--admin", admin(1), "--json");

        assertThat(r.out()).contains("n2: agrees with n1 up to index").contains("n3: agrees with n1 up to index");
        assertThat(JSON.readTree(j.out()).path("ok").asBoolean()).isTrue();
    }

    @Test
    @Order(9)
    void verifyFailsNamingTheIndexOfARecordAlteredOnOneReplica() throws Exception {
        awaitApplied();
        BakeguardProcess n3 = n(3);
        // Killed, as a crash: a clean stop snapshots, and on start raft-state reconciles a log that
        // disagrees with its snapshot by starting a new history from the snapshot's tail (the old file
        // kept aside), which would hide the alteration from verify.
        n3.kill();
        long altered = alterFirstReserveRecord(n3.dir.resolve("data").resolve("watermarks.log"));
        n3.start(BakeguardProcess.clusterYaml(replicas.subList(0, 3)), "4s", KEYS);
        n3.awaitReady(Duration.ofSeconds(120));
        awaitApplied();

        Run r = bakeguard("verify", "--admin", admin(1));

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("n2: agrees with n1").contains("n3: DIVERGES from n1 at index " + altered + " ");
        assertThat(r.err().strip().lines())
                .singleElement()
                .satisfies(l -> assertThat(l)
                        .isEqualTo(
                                "bakeguard verify: watermark logs diverge: n3 differs from n1 first at index " + altered
                                        + "; stop that replica and restore it from a healthy one (docs/operations.md, disaster"
                                        + " recovery)"));
        assertThat(sign(3, attestation(1320, 0, 6)))
                .as("the state machine is untouched: signing works")
                .isEqualTo(200);
    }

    @Test
    @Order(10)
    void aFourthReplicaJoinsTheLeaderMovesAndTheAlteredReplicaIsRemovedWhileSigningGoesOn() throws Exception {
        BakeguardProcess n4 = n(4);
        n4.start(BakeguardProcess.clusterYaml(replicas), "4s", KEYS);
        n4.awaitHealthy(Duration.ofSeconds(120));

        Run added = ok("peers", "add", "n4", "127.0.0.1:" + n4.raftPort, "--admin", admin(1));
        assertThat(added.out()).isEqualTo("added n4 at 127.0.0.1:" + n4.raftPort + "\n");
        n4.awaitReady(Duration.ofSeconds(120));
        assertThat(sign(4, attestation(1330, 0, 7))).isEqualTo(200);
        assertThat(JSON.readTree(ok("status", "--admin", admin(4), "--json").out())
                        .path("replicas"))
                .hasSize(4);

        ok("leader", "transfer", "n2", "--admin", admin(1));
        awaitLeader("n2");
        for (BakeguardProcess p : List.of(n(1), n(2), n(4))) {
            p.awaitReady(Duration.ofSeconds(30));
        }
        HttpResponse<String> afterTransfer = n(1).sign(TZ1, attestation(1331, 0, 7));
        // A baker retries a 503 (no quorum within the deadline, nothing signed); allow it a few retries
        // right after the leader moved, as it would, and say so in the output.
        for (int retry = 1; afterTransfer.statusCode() == 503 && retry <= 5; retry++) {
            System.out.println("503 right after the leader transfer (retry " + retry + "): " + afterTransfer.body());
            Thread.sleep(1000);
            afterTransfer = n(1).sign(TZ1, attestation(1331, 0, 7));
        }
        assertThat(afterTransfer.statusCode())
                .as("%s\n--- n1:\n%s\n--- n2:\n%s", afterTransfer.body(), n(1).logTail(), n(2).logTail())
                .isEqualTo(200);

        Run removed = ok("peers", "remove", "n3", "--admin", admin(2));
        assertThat(removed.out()).isEqualTo("removed n3\n");
        assertThat(sign(4, attestation(1332, 0, 7))).isEqualTo(200);
        assertThat(sign(1, attestation(1333, 0, 7))).isEqualTo(200);

        JsonNode status =
                JSON.readTree(ok("status", "--admin", admin(2), "--json").out());
        assertThat(status.path("replicas").findValuesAsText("id")).containsExactlyInAnyOrder("n1", "n2", "n4");
        // The group may hold an election after the membership change: any remaining member may lead.
        assertThat(status.path("leader").asText()).isIn("n1", "n2", "n4");

        awaitApplied(1, 2, 4);
        Run v = ok("verify", "--admin", admin(1), "--admin", admin(2), "--admin", admin(4));
        assertThat(v.out()).contains("agrees with n1");
    }

    @Test
    @Order(11)
    void snapshotAndCompletionWork() {
        Run snap = ok("snapshot", "--admin", admin(2));
        assertThat(snap.out()).matches("snapshot taken at index \\d+\\n");
        assertThat(ok("completion").out()).contains("complete -F").contains("leader");
    }

    static Run raiseToFiveDryRun(String chain) {
        return bakeguard(
                "watermarks",
                "raise",
                "--admin",
                admin(2),
                "--key",
                TZ1,
                "--chain",
                chain,
                "--level",
                "5",
                "--dry-run");
    }

    /** Waits (bounded) until every replica named has applied what the first has committed. */
    static void awaitApplied(int... ids) throws Exception {
        int[] which = ids.length == 0 ? new int[] {1, 2, 3} : ids;
        long target = JSON.readTree(
                        n(which[0]).get(n(which[0]).admin("/admin/status")).body())
                .path("commit_index")
                .asLong();
        for (int i : which) {
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (JSON.readTree(n(i).get(n(i).admin("/admin/status")).body())
                                    .path("applied_index")
                                    .asLong()
                            < target
                    && System.nanoTime() < end) {
                Thread.sleep(100);
            }
        }
    }

    static void awaitLeader(String id) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < end) {
            if (JSON.readTree(ok("status", "--admin", admin(1), "--json").out())
                    .path("leader")
                    .asText()
                    .equals(id)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(id + " did not become the leader within 20 s");
    }

    /**
     * Changes the proposer of the first {@code reserve} record of a watermark-log file and re-chains
     * every later record, as a consistent but different history (a damaged line with a broken hash
     * would stop the replica instead: raft-state's WatermarkLog verifies the chain on open). The line
     * format and hash are raft-state's LogRecordFormat: tab-separated fields, the last two the
     * previous hash and SHA-256("bakeguard-log-v1\t" + the line without its hash).
     *
     * @return the index of the altered record
     */
    static long alterFirstReserveRecord(Path file) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        long altered = -1;
        String previous = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("#")) {
                java.util.regex.Matcher m =
                        java.util.regex.Pattern.compile("prev=([0-9a-f]{64})").matcher(line);
                assertThat(m.find()).as("the header of %s: %s", file, line).isTrue();
                previous = m.group(1);
                continue;
            }
            String[] f = line.split("\t", -1);
            assertThat(f).as("a record line of %s", file).hasSize(15);
            if (altered < 0 && f[4].equals("reserve")) {
                altered = Long.parseLong(f[0]);
                f[3] = f[3] + "-altered";
            }
            if (altered >= 0) {
                f[13] = previous;
                f[14] = sha256(
                        "bakeguard-log-v1\t" + String.join("\t", List.of(f).subList(0, 14)));
                lines.set(i, String.join("\t", f));
            }
            previous = f[14];
        }
        assertThat(altered).as("a reserve record in %s", file).isPositive();
        Files.write(file, lines, StandardCharsets.UTF_8);
        return altered;
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
