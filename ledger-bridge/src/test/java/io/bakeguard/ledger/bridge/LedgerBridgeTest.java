package io.bakeguard.ledger.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bakeguard.core.signer.SignatureVersion;
import io.bakeguard.ledger.app.LedgerException;
import io.bakeguard.ledger.app.TezosBakingApp;
import io.bakeguard.ledger.signer.HidConnector;
import io.bakeguard.ledger.signer.LedgerSigner;
import io.bakeguard.ledger.signer.LedgerUri;
import io.bakeguard.ledger.sim.SimulatedHidBus;
import io.bakeguard.ledger.sim.SimulatedLedger;
import io.bakeguard.ledger.testing.SimulatedSetup;
import io.bakeguard.ledger.testing.TestCertificates;
import io.bakeguard.ledger.testing.TestCertificates.Identity;
import io.bakeguard.ledger.testing.TezosMessages;
import io.bakeguard.ledger.testing.TezosSignatures;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replica signs through the mTLS bridge in front of the simulated device (design.md s.6). */
class LedgerBridgeTest {
    private static Identity bridgeId;
    private static Identity replica;
    private static Identity stranger;

    private SimulatedLedger device;
    private SimulatedHidBus bus;
    private LedgerUri uri;
    private LedgerBridgeServer bridge;
    private LedgerSigner signer;

    @BeforeAll
    static void certificates() throws Exception {
        bridgeId = TestCertificates.selfSigned("bridge");
        replica = TestCertificates.selfSigned("replica-n1");
        stranger = TestCertificates.selfSigned("stranger");
    }

    @BeforeEach
    void setUp() throws Exception {
        device = SimulatedSetup.zebra("bridged");
        bus = new SimulatedHidBus(device);
        uri = SimulatedSetup.uri("ed25519");
        SimulatedSetup.setup(bus, TezosMessages.CHAIN_0, 0, 0, uri);
        bridge = startBridge(
                0, CertificateAllowList.ofFingerprints(CertificateAllowList.fingerprint(replica.certificate())));
    }

    @AfterEach
    void tearDown() {
        if (signer != null) {
            signer.close();
        }
        if (bridge != null) {
            bridge.close();
        }
        device.close();
    }

    private LedgerBridgeServer startBridge(int port, CertificateAllowList allow) throws Exception {
        return LedgerBridgeServer.start(
                new HidConnector(bus),
                uri.device(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                bridgeId.material(),
                allow,
                Duration.ofSeconds(1));
    }

    private TlsConnector connector(Identity who, int port) throws Exception {
        return new TlsConnector(
                "127.0.0.1", port, who.material(bridgeId.certificate()).clientContext(), Duration.ofSeconds(2));
    }

    @Test
    void replicaSignsThroughTheBridge() throws Exception {
        signer = LedgerSigner.open(uri, connector(replica, bridge.port()), SimulatedSetup.testOptions());
        assertThat(signer.publicKeyHash()).isEqualTo("tz1dyX3B1CFYa2DfdFLyPtiJCfQRUgPVME6E");
        byte[] m = TezosMessages.attestation(TezosMessages.CHAIN_0, 5, 0);
        String sig = signer.sign(m, SignatureVersion.LATEST);
        assertThat(TezosSignatures.verify(signer.publicKey(), m, sig)).isTrue();
        assertThat(device.signatureCount()).isEqualTo(1);
        assertThat(bridge.forwardedApdus()).isPositive();
        assertThat(signer.devicePath()).startsWith("tls://127.0.0.1:");
    }

    @Test
    void clientWithoutAnAllowedCertificateIsRefused() {
        assertThatThrownBy(
                        () -> LedgerSigner.open(uri, connector(stranger, bridge.port()), SimulatedSetup.testOptions()))
                .isInstanceOf(LedgerException.DeviceUnavailable.class);
        assertThat(bridge.forwardedApdus()).isZero();
        assertThat(device.exchangeCount()).isEqualTo(1); // only our own SETUP in setUp
    }

    @Test
    void clientAllowedBySubjectMustAlsoChainToATrustedCertificate() throws Exception {
        bridge.close();
        CertificateAllowList bySubject = new CertificateAllowList(Set.of(), Set.of("CN=replica-n1"));
        // trusted: the replica's own self-signed certificate acts as the anchor
        bridge = LedgerBridgeServer.start(
                new HidConnector(bus),
                uri.device(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                bridgeId.material(replica.certificate()),
                bySubject,
                Duration.ofSeconds(1));
        signer = LedgerSigner.open(uri, connector(replica, bridge.port()), SimulatedSetup.testOptions());
        signer.close();
        signer = null;
        Identity impostor = TestCertificates.selfSigned("replica-n1");
        assertThatThrownBy(
                        () -> LedgerSigner.open(uri, connector(impostor, bridge.port()), SimulatedSetup.testOptions()))
                .isInstanceOf(LedgerException.DeviceUnavailable.class);
    }

    @Test
    void killingAndRestartingTheBridgeMidStreamRecoversWithoutANewSigner() throws Exception {
        int port = bridge.port();
        signer = LedgerSigner.open(uri, connector(replica, port), SimulatedSetup.testOptions());
        int level = 1;
        for (; level <= 3; level++) {
            signer.sign(TezosMessages.attestation(TezosMessages.CHAIN_0, level, 0), SignatureVersion.LATEST);
        }
        bridge.close();
        CompletableFuture<LedgerBridgeServer> restarted = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(300);
                return startBridge(
                        port,
                        CertificateAllowList.ofFingerprints(CertificateAllowList.fingerprint(replica.certificate())));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            for (; level <= 6; level++) {
                byte[] m = TezosMessages.attestation(TezosMessages.CHAIN_0, level, 0);
                assertThat(TezosSignatures.verify(signer.publicKey(), m, signer.sign(m, SignatureVersion.LATEST)))
                        .isTrue();
            }
        } finally {
            bridge = restarted.get(10, TimeUnit.SECONDS);
        }
        assertThat(device.signatureCount()).isEqualTo(6);
        assertThat(signer.connected()).isTrue();
        assertThat(signer.sessionsOpened()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void deviceUnpluggedBehindTheBridgeIsReopenedByTheBridgeAndTheReplica() throws Exception {
        signer = LedgerSigner.open(uri, connector(replica, bridge.port()), SimulatedSetup.testOptions());
        signer.sign(TezosMessages.attestation(TezosMessages.CHAIN_0, 1, 0), SignatureVersion.LATEST);
        device.injectFault(SimulatedLedger.Fault.UNPLUG_BEFORE, SimulatedLedger.signatureMessage(), 150);
        byte[] m = TezosMessages.attestation(TezosMessages.CHAIN_0, 2, 0);
        assertThat(TezosSignatures.verify(signer.publicKey(), m, signer.sign(m, SignatureVersion.LATEST)))
                .isTrue();
        assertThat(device.signatureCount()).isEqualTo(2);
        assertThat(signer.sessionsOpened()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void setupAndOtherPromptsAreRefusedThroughTheBridge() throws Exception {
        try (var t = connector(replica, bridge.port()).connect()) {
            TezosBakingApp app = new TezosBakingApp(t, Duration.ofSeconds(2));
            assertThatThrownBy(() ->
                            app.setup(TezosMessages.CHAIN_0, 0, 0, uri.curve(), uri.path(), Duration.ofSeconds(2)))
                    .isInstanceOf(LedgerException.BadRequest.class)
                    .hasMessageContaining("0x6982");
            assertThatThrownBy(app::deauthorize).isInstanceOf(LedgerException.BadRequest.class);
            assertThat(app.version().isBaking()).isTrue();
        }
        assertThat(device.apduCount(TezosBakingApp.INS_DEAUTHORIZE)).isZero();
    }

    @Test
    void tlsMaterialLoadsFromPemFiles(@TempDir Path dir) throws Exception {
        replica.writePem(dir, "replica");
        java.nio.file.Files.writeString(
                dir.resolve("trust.crt"),
                TestCertificates.pem("CERTIFICATE", bridgeId.certificate().getEncoded()));
        TlsMaterial m =
                TlsMaterial.fromPem(dir.resolve("replica.crt"), dir.resolve("replica.key"), dir.resolve("trust.crt"));
        signer = LedgerSigner.open(
                uri,
                new TlsConnector("127.0.0.1", bridge.port(), m.clientContext(), Duration.ofSeconds(2)),
                SimulatedSetup.testOptions());
        assertThat(signer.connected()).isTrue();
        assertThatThrownBy(() -> TlsMaterial.fromPem(
                        dir.resolve("trust.crt"), dir.resolve("trust.crt"), dir.resolve("trust.crt")))
                .hasMessageContaining("PRIVATE KEY");
    }
}
