package io.bakeguard.ledger.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bakeguard.core.signer.SignatureVersion;
import io.bakeguard.ledger.app.AllHwm;
import io.bakeguard.ledger.app.Hwm;
import io.bakeguard.ledger.app.LedgerException;
import io.bakeguard.ledger.signer.HidConnector;
import io.bakeguard.ledger.signer.LedgerSigner;
import io.bakeguard.ledger.signer.LedgerSigners;
import io.bakeguard.ledger.signer.LedgerUri;
import io.bakeguard.ledger.sim.LedgerSimulator;
import io.bakeguard.ledger.sim.PromptAnswer;
import io.bakeguard.ledger.sim.SimulatedHidBus;
import io.bakeguard.ledger.sim.SimulatedLedger;
import io.bakeguard.ledger.testing.SimulatedSetup;
import io.bakeguard.ledger.testing.TezosMessages;
import io.bakeguard.ledger.testing.TezosSignatures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ledger list / info / hwm, and ledger simulate, against simulated devices. */
class LedgerOpsTest {
    private static final Duration T = Duration.ofSeconds(2);

    private SimulatedLedger zebra;
    private SimulatedLedger other;
    private SimulatedHidBus bus;
    private LedgerUri uri;

    @BeforeEach
    void setUp() throws Exception {
        zebra = SimulatedSetup.zebra("zebra");
        other = new SimulatedLedger(
                "other", "umbrella idea improve dance correct venue mad atom salmon detail please trip");
        bus = new SimulatedHidBus(zebra);
        uri = SimulatedSetup.uri("ed25519");
        SimulatedSetup.setup(bus, TezosMessages.MAINNET, 100, 0, uri);
        bus.add(other);
    }

    @AfterEach
    void tearDown() {
        zebra.close();
        other.close();
    }

    @Test
    void listShowsEveryDeviceWithItsAppAndRootKey() throws Exception {
        other.setScreen(SimulatedLedger.Screen.LOCKED);
        List<LedgerOps.DeviceListing> list = LedgerOps.list(bus, T);
        assertThat(list).hasSize(2);
        assertThat(list.get(0).rootPkh()).contains(SimulatedSetup.ZEBRA_ROOT);
        assertThat(list.get(0).shortId()).contains("f2ed2bbe");
        assertThat(list.get(0).app()).isEqualTo("Tezos Baking 2.5.1");
        assertThat(list.get(0).model()).isEqualTo("nano-s-plus");
        assertThat(list.get(1).rootPkh()).isEmpty();
        assertThat(list.get(1).app()).contains("locked");
    }

    @Test
    void infoFindsTheDeviceByRootKeyAmongSeveral() throws Exception {
        LedgerOps.DeviceInfo info = LedgerOps.info(new HidConnector(bus), uri, T);
        assertThat(info.version().isBaking()).isTrue();
        assertThat(info.key().publicKeyHash()).isEqualTo("tz1dyX3B1CFYa2DfdFLyPtiJCfQRUgPVME6E");
        assertThat(info.authorizedKeyMatches()).isTrue();
        assertThat(info.mainChainId()).isEqualTo("NetXdQprcVkpaWU");
        assertThat(info.hwm().main()).isEqualTo(new Hwm(100, 0));
    }

    @Test
    void hwmOnlyMovesUpAndNeedsTheOperatorsApproval() throws Exception {
        HidConnector c = new HidConnector(bus);
        assertThatThrownBy(() -> LedgerOps.raiseHwm(c, uri, 100, T, T))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only moves up");
        assertThat(zebra.apduCount(0x06)).isZero();
        zebra.setOperator(p -> PromptAnswer.REJECT);
        assertThatThrownBy(() -> LedgerOps.raiseHwm(c, uri, 150, T, T))
                .isInstanceOf(LedgerException.UserRejected.class);
        zebra.setOperator(p -> PromptAnswer.APPROVE);
        AllHwm after = LedgerOps.raiseHwm(c, uri, 150, T, T);
        assertThat(after.main()).isEqualTo(new Hwm(150, 0));
        assertThat(LedgerOps.hwm(c, uri, T).test()).isEqualTo(new Hwm(150, 0));
    }

    @Test
    void simulatorAnswersOnTcpWithTheDefaultKeyAuthorized() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (LedgerSimulator.Running sim =
                        LedgerSimulator.start(0, null, true, new PrintStream(printed, true, StandardCharsets.UTF_8));
                LedgerSigner s = LedgerSigners.create(
                        "ledger://" + sim.rootPkh() + "/ed25519/0h/0h",
                        "tcp://127.0.0.1:" + sim.port(),
                        Optional.empty(),
                        SimulatedSetup.testOptions())) {
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("transport: tcp://127.0.0.1:" + sim.port());
            byte[] m = TezosMessages.block(TezosMessages.MAINNET, 1, 0);
            assertThat(TezosSignatures.verify(s.publicKey(), m, s.sign(m, SignatureVersion.LATEST)))
                    .isTrue();
            assertThat(s.deterministicNonce(new byte[] {0})).hasSize(32);
        }
    }
}
