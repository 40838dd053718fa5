package io.bakeguard.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bakeguard.app.Bakeguard;
import io.bakeguard.core.key.PublicKey;
import io.bakeguard.core.signer.SignatureVersion;
import io.bakeguard.ledger.apdu.SpeculosTcpTransport;
import io.bakeguard.ledger.app.LedgerCurve;
import io.bakeguard.ledger.app.TezosBakingApp;
import io.bakeguard.ledger.sim.KeyDerivation;
import io.bakeguard.ledger.sim.LedgerSimulator;
import io.bakeguard.ledger.sim.SimulatedLedger;
import io.bakeguard.ledger.sim.SpeculosTcpServer;
import io.bakeguard.ledger.testing.SimulatedSetup;
import io.bakeguard.ledger.testing.TezosMessages;
import io.bakeguard.testkit.LoopbackPorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue's end-to-end test: three real {@code bakeguard serve} JVMs, each with its own simulated
 * Ledger (Tezos Baking app model, Speculos TCP framing, in this JVM) holding the SAME seed, all
 * configured with {@code ledger: ledger://<root>/ed25519/0h/0h}. Bakers on all three replicas send
 * increasing and conflicting blocks, preattestations and attestations: at most one payload is signed
 * per (kind, level, round) across the replicas, every signature verifies with the Ledger's key, and
 * the devices' own HWMs never refuse what the cluster granted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LedgerClusterAcceptanceTest {
    static final String ROOT = SimulatedSetup.ZEBRA_ROOT;
    static final String URI = "ledger://" + ROOT + "/ed25519/0h/0h";
    static final byte[] CHAIN = TezosMessages.MAINNET;
    static final int FIRST_LEVEL = 100;
    static final int LEVELS = 20;
    static final Pattern CONNECTED = Pattern.compile("bakeguard_ledger_connected\\{device=\"[^\"]*\",?} (\\S+)");

    @TempDir
    static Path dir;

    static final List<SimulatedLedger> devices = new ArrayList<>();
    static final List<SpeculosTcpServer> servers = new ArrayList<>();
    static final List<BakeguardProcess> replicas = new ArrayList<>();
    static String pkh;
    static PublicKey publicKey;

    @BeforeAll
    static void start() throws Exception {
        for (int i = 0; i < 3; i++) {
            SimulatedLedger d = new SimulatedLedger("ledger-n" + (i + 1), KeyDerivation.ZEBRA_MNEMONIC);
            devices.add(d);
            servers.add(new SpeculosTcpServer(d, 0));
        }
        // What an operator does once per device before baking (docs/ledger.md): SETUP authorizes the key
        // for mainnet with both HWMs just below the first level to bake, then `ledger info` checks it.
        for (SpeculosTcpServer s : servers) {
            try (SpeculosTcpTransport t = SpeculosTcpTransport.connect("127.0.0.1", s.port(), Duration.ofSeconds(2))) {
                new TezosBakingApp(t, Duration.ofSeconds(2))
                        .setup(
                                CHAIN,
                                FIRST_LEVEL - 1,
                                FIRST_LEVEL - 1,
                                LedgerCurve.ED25519,
                                LedgerSimulator.DEFAULT_KEY,
                                Duration.ofSeconds(5));
            }
            JsonNode info = cli("ledger", "info", URI, "--transport", "tcp://127.0.0.1:" + s.port(), "--json");
            assertThat(info.get("authorized_key_matches").asBoolean()).isTrue();
            assertThat(info.get("main_hwm").get("level").asInt()).isEqualTo(FIRST_LEVEL - 1);
            pkh = info.get("public_key_hash").asText();
            publicKey = PublicKey.parse(info.get("public_key").asText());
        }

        int[] ports = LoopbackPorts.reserve(9);
        for (int i = 0; i < 3; i++) {
            replicas.add(new BakeguardProcess(
                    "n" + (i + 1), dir.resolve("n" + (i + 1)), ports[3 * i], ports[3 * i + 1], ports[3 * i + 2]));
        }
        String cluster = BakeguardProcess.clusterYaml(replicas);
        for (int i = 0; i < 3; i++) {
            replicas.get(i)
                    .start(
                            cluster,
                            "4s",
                            "keys:\n  - ledger: " + URI + "\n    transport: tcp://127.0.0.1:"
                                    + servers.get(i).port() + "\n    policy: {first-use: allow}\n");
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
        servers.forEach(SpeculosTcpServer::close);
        devices.forEach(SimulatedLedger::close);
    }

    static JsonNode cli(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Bakeguard.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(String.join(" ", args) + ": " + err).isZero();
        return SingleReplicaAcceptanceTest.JSON.readTree(out.toString());
    }

    /** One signing request a baker sends. */
    record Request(String kind, int level, int round, byte[] bytes) {}

    /**
     * What baker {@code b} sends at one (level, round), in the only order the device accepts at one
     * (level, round): block, preattestation, attestation. Some payloads are the same for all bakers
     * (every replica signs them: same seed, deterministic Ed25519), others differ per baker (a
     * conflict: the cluster grants one).
     */
    static List<Request> bakerStep(int b, int level, int round) {
        boolean conflict = (level + round) % 2 == 0;
        byte[] block = conflict ? block(level, round, b != 1, b == 2) : block(level, round, false, false);
        byte[] attestation = TezosMessages.attestation(CHAIN, level, round, conflict ? 0x10 + b : 0x33);
        byte[] preattestation = TezosMessages.attestation(CHAIN, level, round, conflict ? 0x20 + b : 0x44);
        preattestation[0] = 0x12; // preattestation magic; tag 20 (spec/ledger-baking-apdu.md s.4.1)
        preattestation[37] = 20;
        return List.of(
                new Request("block", level, round, block),
                new Request("preattestation", level, round, preattestation),
                new Request("attestation", level, round, attestation));
    }

    /**
     * A Tenderbake block header as octez encodes it: TezosMessages' block with the fitness'
     * predecessor round written as octez does, -(predecessor round) - 1 (spec/tezos-remote-signer.md).
     */
    static byte[] block(int level, int round, boolean seedNonce, boolean lockedRound) {
        byte[] b = TezosMessages.block(CHAIN, level, round, seedNonce, lockedRound);
        int predecessorRound = lockedRound ? 112 : 108;
        ByteBuffer.wrap(b).putInt(predecessorRound, -1);
        return b;
    }

    static int deviceSignAttempts(SimulatedLedger d) {
        // Each device signature takes two APDUs (key path, then message) with INS 0x04 or 0x0F.
        return (d.apduCount(TezosBakingApp.INS_SIGN) + d.apduCount(TezosBakingApp.INS_SIGN_WITH_HASH)) / 2;
    }

    static double connected(BakeguardProcess p) throws Exception {
        HttpResponse<String> r = p.get(p.admin("/metrics"));
        Matcher m = CONNECTED.matcher(r.body());
        assertThat(m.find()).as(p.id + " exposes bakeguard_ledger_connected").isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    @Order(1)
    void eachReplicaServesTheLedgerKeyAndReportsItsDeviceConnected() throws Exception {
        for (BakeguardProcess p : replicas) {
            HttpResponse<String> r = p.get(p.signer("/keys/" + pkh));
            assertThat(r.statusCode()).as(p.id + ": " + r.body()).isEqualTo(200);
            assertThat(SingleReplicaAcceptanceTest.json(r).get("public_key").asText())
                    .isEqualTo(publicKey.toBase58());
            assertThat(connected(p)).isEqualTo(1.0);
        }
    }

    @Test
    @Order(2)
    void bakersOnThreeReplicasWithThreeLedgersNeverGetTwoPayloadsSignedAndNoDeviceRefusesAGrant() throws Exception {
        int[] attemptsBefore = devices.stream()
                .mapToInt(LedgerClusterAcceptanceTest::deviceSignAttempts)
                .toArray();
        int[] signaturesBefore =
                devices.stream().mapToInt(SimulatedLedger::signatureCount).toArray();
        // (kind, level, round) -> payloads signed anywhere; payload -> signatures returned for it.
        Map<String, Set<String>> signedPerSlot = new ConcurrentHashMap<>();
        Map<String, Set<String>> signaturesPerPayload = new ConcurrentHashMap<>();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        ExecutorService bakers = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int b = 0; b < 3; b++) {
                int baker = b;
                BakeguardProcess replica = replicas.get(b);
                running.add(bakers.submit(() -> {
                    for (int level = FIRST_LEVEL; level < FIRST_LEVEL + LEVELS; level++) {
                        for (int round = 0; round < 2; round++) {
                            for (Request q : bakerStep(baker, level, round)) {
                                String hex = HexFormat.of().formatHex(q.bytes());
                                HttpResponse<String> r = replica.signSettled(pkh, hex);
                                statuses.merge(r.statusCode(), 1, Integer::sum);
                                if (r.statusCode() != 200) {
                                    assertThat(r.statusCode())
                                            .as(replica.id + " " + q + ": " + r.body())
                                            .isIn(409, 503);
                                    continue;
                                }
                                String sig = SingleReplicaAcceptanceTest.json(r)
                                        .get("signature")
                                        .asText();
                                assertThat(publicKey.verify(q.bytes(), sig, SignatureVersion.LATEST))
                                        .as(replica.id + " " + q.kind() + " " + q.level())
                                        .isTrue();
                                signedPerSlot
                                        .computeIfAbsent(
                                                q.kind() + "@" + q.level() + "/" + q.round(),
                                                k -> ConcurrentHashMap.newKeySet())
                                        .add(hex);
                                signaturesPerPayload
                                        .computeIfAbsent(hex, k -> ConcurrentHashMap.newKeySet())
                                        .add(sig);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            bakers.shutdownNow();
        }

        // Safety: never two payloads at one (kind, level, round), across the three replicas and devices.
        assertThat(signedPerSlot).hasSize(3 * LEVELS * 2);
        signedPerSlot.forEach((slot, payloads) -> assertThat(payloads).as(slot).hasSize(1));
        // The same payload signed by several devices gives the same signature (same seed, Ed25519).
        signaturesPerPayload.forEach((payload, sigs) -> assertThat(sigs).hasSize(1));
        // Conflicts happened and were refused by the cluster, not by the devices.
        assertThat(statuses.getOrDefault(409, 0)).isPositive();
        int deviceSignatures = 0;
        for (int i = 0; i < 3; i++) {
            SimulatedLedger d = devices.get(i);
            int attempts = deviceSignAttempts(d) - attemptsBefore[i];
            int signatures = d.signatureCount() - signaturesBefore[i];
            deviceSignatures += signatures;
            assertThat(attempts - signatures)
                    .as(d.name() + ": device refusals of cluster-granted requests")
                    .isZero();
            // The device's own HWM only ever saw what the cluster granted to its replica.
            assertThat(d.mainHwm()[0]).isBetween(FIRST_LEVEL - 1, FIRST_LEVEL + LEVELS - 1);
        }
        System.out.printf(
                "ledger cluster: %d requests by status %s, %d payloads signed, %d device signatures%n",
                statuses.values().stream().mapToInt(Integer::intValue).sum(),
                statuses,
                signaturesPerPayload.size(),
                deviceSignatures);
        // Every signed payload was signed by some device (a repeat may be answered from the stored
        // signature without a device, or signed again by another device when it raced the first).
        assertThat(deviceSignatures).isGreaterThanOrEqualTo(signaturesPerPayload.size());
    }

    @Test
    @Order(3)
    void anUnpluggedLedgerIsReportedDisconnectedAndTheReplicaResumesWhenItIsBack() throws Exception {
        BakeguardProcess p = replicas.get(2);
        SimulatedLedger d = devices.get(2);
        d.unplug(-1);
        awaitConnected(p, 0.0);
        assertThat(p.alive()).isTrue();
        int next = FIRST_LEVEL + LEVELS;
        String hex = HexFormat.of().formatHex(TezosMessages.attestation(CHAIN, next, 0, 0x55));
        HttpResponse<String> whileAway = p.sign(pkh, hex);
        assertThat(whileAway.statusCode()).as(whileAway.body()).isNotEqualTo(200);

        d.replug();
        awaitConnected(p, 1.0);
        String later = HexFormat.of().formatHex(TezosMessages.attestation(CHAIN, next + 1, 0, 0x55));
        HttpResponse<String> back = p.signSettled(pkh, later);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat(publicKey.verify(
                        HexFormat.of().parseHex(later),
                        SingleReplicaAcceptanceTest.json(back).get("signature").asText(),
                        SignatureVersion.LATEST))
                .isTrue();
    }

    static void awaitConnected(BakeguardProcess p, double value) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (connected(p) != value) {
            assertThat(System.nanoTime())
                    .as("bakeguard_ledger_connected = " + value)
                    .isLessThan(end);
            Thread.sleep(200);
        }
    }
}
