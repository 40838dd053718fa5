package io.bakeguard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bakeguard.app.config.ConfigException;
import io.bakeguard.app.config.ConfigLoader;
import io.bakeguard.core.key.PublicKey;
import io.bakeguard.core.signer.SignatureVersion;
import io.bakeguard.http.KeyRing;
import io.bakeguard.ledger.bridge.CertificateAllowList;
import io.bakeguard.ledger.bridge.LedgerBridgeServer;
import io.bakeguard.ledger.signer.LedgerSigner;
import io.bakeguard.ledger.signer.LedgerUri;
import io.bakeguard.ledger.signer.TcpConnector;
import io.bakeguard.ledger.sim.LedgerSimulator;
import io.bakeguard.ledger.testing.SimulatedSetup;
import io.bakeguard.ledger.testing.TestCertificates;
import io.bakeguard.ledger.testing.TezosMessages;
import io.bakeguard.testkit.LoopbackPorts;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keys: - ledger:} entries opened by {@link KeyLoader} against a simulated Ledger. */
class LedgerKeysTest {
    static final String URI = "ledger://" + SimulatedSetup.ZEBRA_ROOT + "/ed25519/0h/0h";

    @TempDir
    Path dir;

    LedgerSimulator.Running sim;

    @BeforeEach
    void startSimulator() throws Exception {
        sim = LedgerSimulator.start(0, null, true, new PrintStream(OutputStream.nullOutputStream()));
    }

    @AfterEach
    void stopSimulator() {
        sim.close();
    }

    KeyRing load(String keyEntry) throws Exception {
        Path f = dir.resolve("bakeguard.yaml");
        Files.writeString(
                f, "node: {id: n1, data-dir: data}\ncluster:\n  - {id: n1, raft: 127.0.0.1:9870}\nkeys:\n" + keyEntry);
        return KeyLoader.load(ConfigLoader.load(f, Map.of()), f.toString(), Map.of());
    }

    static void assertSigns(LedgerSigner signer) throws Exception {
        byte[] attestation = TezosMessages.attestation(TezosMessages.MAINNET, 7, 0);
        String sig = signer.sign(attestation, SignatureVersion.LATEST);
        assertThat(PublicKey.parse(signer.publicKey()).verify(attestation, sig, SignatureVersion.LATEST))
                .isTrue();
    }

    @Test
    void aTcpLedgerEntryServesTheDeviceKeyWithItsPolicy() throws Exception {
        try (KeyRing ring = load("  - ledger: " + URI + "\n    transport: tcp://127.0.0.1:" + sim.port()
                + "\n    policy: {kinds: [attestation]}\n")) {
            assertThat(ring.all()).hasSize(1);
            KeyRing.ManagedKey k = ring.all().iterator().next();
            LedgerSigner signer = (LedgerSigner) k.signer();
            assertThat(signer.publicKeyHash()).startsWith("tz1");
            assertThat(ring.find(signer.publicKeyHash())).isPresent();
            assertThat(signer.connected()).isTrue();
            assertThat(k.policy().toString()).contains("kinds=[ATTESTATION]");
            assertSigns(signer);
            assertThat(sim.device().signatureCount()).isEqualTo(1);
        }
    }

    @Test
    void aDeviceThatDoesNotAnswerStopsTheStartWithAnErrorSayingWhatToDo() throws Exception {
        int closed = LoopbackPorts.one();
        assertThatThrownBy(() -> load("  - ledger: " + URI + "\n    transport: tcp://127.0.0.1:" + closed + "\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("keys[0] in ")
                .hasMessageContaining("cannot use the Ledger " + URI)
                .hasMessageContaining("over tcp://127.0.0.1:" + closed);
    }

    @Test
    void anotherDeviceThanTheUriNamesIsRefusedAtStart() {
        String other = "ledger://tz1daTbhMHpmMXQYaVYmzZTM3S11oshHPrMm/ed25519/0h/0h";
        assertThatThrownBy(() -> load("  - ledger: " + other + "\n    transport: tcp://127.0.0.1:" + sim.port() + "\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("keys[0] in ")
                .hasMessageContaining("tz1daTbhMHpmMXQYaVYmzZTM3S11oshHPrMm");
    }

    @Test
    void aTlsLedgerEntryReachesTheDeviceThroughABridgeWithItsTlsFiles() throws Exception {
        TestCertificates.Identity bridge = TestCertificates.selfSigned("bridge");
        TestCertificates.Identity replica = TestCertificates.selfSigned("replica");
        bridge.writePem(dir, "bridge");
        replica.writePem(dir, "replica");
        try (LedgerBridgeServer server = LedgerBridgeServer.start(
                new TcpConnector("127.0.0.1", sim.port(), Duration.ofSeconds(2)),
                LedgerUri.parse(URI).device(),
                new InetSocketAddress("127.0.0.1", 0),
                bridge.material(replica.certificate()),
                CertificateAllowList.ofFingerprints(CertificateAllowList.fingerprint(replica.certificate())),
                Duration.ofSeconds(5))) {
            String entry = "  - ledger: " + URI + "\n    transport: tls://127.0.0.1:" + server.port()
                    + "\n    tls: {certificate: replica.crt, private-key: replica.key, trust: bridge.crt}\n";
            try (KeyRing ring = load(entry)) {
                assertSigns((LedgerSigner) ring.all().iterator().next().signer());
            }
            Files.writeString(dir.resolve("replica.key"), "not a key\n");
            assertThatThrownBy(() -> load(entry))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("keys[0].tls in ")
                    .hasMessageContaining("cannot read the PEM files");
        }
    }
}
