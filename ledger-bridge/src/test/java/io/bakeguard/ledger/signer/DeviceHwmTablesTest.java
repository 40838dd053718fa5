package io.bakeguard.ledger.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bakeguard.core.signer.SignatureVersion;
import io.bakeguard.ledger.app.LedgerException;
import io.bakeguard.ledger.sim.SimulatedHidBus;
import io.bakeguard.ledger.sim.SimulatedLedger;
import io.bakeguard.ledger.testing.SimulatedSetup;
import io.bakeguard.ledger.testing.TezosMessages;
import io.bakeguard.ledger.testing.TezosSignatures;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of the device HWM tables of spec/ledger-baking-apdu.md s.4.2, through the full stack:
 * LedgerSigner -> owner thread -> HID framing -> simulated device -> Baking app model.
 */
class DeviceHwmTablesTest {
    private static final byte[] C0 = TezosMessages.chain(0);
    private static final byte[] C1 = TezosMessages.chain(1);
    private static final byte[] C2 = TezosMessages.chain(2);

    private SimulatedLedger device;
    private SimulatedHidBus bus;
    private LedgerSigner signer;

    @BeforeEach
    void setUp() {
        device = SimulatedSetup.zebra("hwm");
        bus = new SimulatedHidBus(device);
    }

    @AfterEach
    void tearDown() {
        if (signer != null) {
            signer.close();
        }
        device.close();
    }

    private void start(byte[] mainChain, int mainLevel) throws Exception {
        LedgerUri uri = SimulatedSetup.uri("ed25519");
        SimulatedSetup.setup(bus, mainChain, mainLevel, 0, uri);
        signer = SimulatedSetup.hidSigner(bus, uri);
    }

    record Msg(String name, Supplier<byte[]> bytes) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Msg att(int l, int r) {
        return new Msg("attestation(" + l + "," + r + ")", () -> TezosMessages.attestation(C0, l, r));
    }

    static Msg dal(int l, int r) {
        return new Msg("attestation+DAL(" + l + "," + r + ")", () -> TezosMessages.attestationWithDal(C0, l, r));
    }

    static Msg pre(int l, int r) {
        return new Msg("preattestation(" + l + "," + r + ")", () -> TezosMessages.preattestation(C0, l, r));
    }

    static Msg block(int l, int r) {
        return new Msg("block(" + l + "," + r + ")", () -> TezosMessages.block(C0, l, r));
    }

    /** The app's test_sign_level_authorized table: SETUP main HWM (1, 0), sign A, then B. */
    static Stream<Arguments> levelAuthorizedTable() {
        return Stream.of(
                Arguments.of(att(1, 0), pre(1, 1), true),
                Arguments.of(block(1, 1), dal(2, 0), true),
                Arguments.of(block(1, 1), dal(1, 0), false),
                Arguments.of(att(2, 0), pre(1, 1), false),
                Arguments.of(pre(1, 0), pre(1, 0), false),
                Arguments.of(pre(1, 0), block(1, 0), false),
                Arguments.of(pre(1, 0), att(1, 0), true),
                Arguments.of(pre(1, 0), dal(1, 0), true),
                Arguments.of(att(1, 0), pre(1, 0), false),
                Arguments.of(att(1, 0), att(1, 0), false),
                Arguments.of(att(1, 0), dal(1, 0), false),
                Arguments.of(att(1, 0), block(1, 0), false),
                Arguments.of(dal(1, 0), pre(1, 0), false),
                Arguments.of(dal(1, 0), att(1, 0), false),
                Arguments.of(dal(1, 0), dal(1, 0), false),
                Arguments.of(dal(1, 0), block(1, 0), false),
                Arguments.of(block(2, 1), pre(2, 1), true),
                Arguments.of(block(2, 1), att(2, 1), true),
                Arguments.of(block(2, 1), dal(2, 1), true),
                Arguments.of(block(2, 1), block(2, 1), false));
    }

    @ParameterizedTest(name = "{0} then {1}: signed={2}")
    @MethodSource("levelAuthorizedTable")
    void secondMessageIsSignedOrRefusedAsTheAppsTableSays(Msg a, Msg b, boolean signed) throws Exception {
        start(C0, 1);
        byte[] first = a.bytes().get();
        String sigA = signer.sign(first, SignatureVersion.LATEST);
        assertThat(TezosSignatures.verify(signer.publicKey(), first, sigA)).isTrue();
        byte[] second = b.bytes().get();
        if (signed) {
            String sigB = signer.sign(second, SignatureVersion.LATEST);
            assertThat(TezosSignatures.verify(signer.publicKey(), second, sigB)).isTrue();
            assertThat(device.signatureCount()).isEqualTo(2);
        } else {
            if (java.util.Arrays.equals(first, second)) {
                // Identical bytes are served from the signer's cache, never signed again by the device.
                assertThat(signer.sign(second, SignatureVersion.LATEST)).isEqualTo(sigA);
            } else {
                assertThatThrownBy(() -> signer.sign(second, SignatureVersion.LATEST))
                        .isInstanceOf(LedgerException.HwmRefused.class);
            }
            assertThat(device.signatureCount()).isEqualTo(1);
        }
        assertThat(signer.connected()).isTrue();
    }

    @Test
    void withNoMainChainEveryChainSharesTheMainHwm() throws Exception {
        start(C0, 0);
        signer.sign(TezosMessages.attestation(C0, 1, 0), SignatureVersion.LATEST);
        signer.sign(TezosMessages.attestation(C1, 2, 0), SignatureVersion.LATEST);
        assertThatThrownBy(() -> signer.sign(TezosMessages.attestation(C2, 2, 0), SignatureVersion.LATEST))
                .isInstanceOf(LedgerException.HwmRefused.class);
        assertThat(device.mainHwm()).startsWith(2, 0);
        assertThat(device.testHwm()).startsWith(0, 0);
    }

    @Test
    void withAMainChainEveryOtherChainSharesTheTestHwm() throws Exception {
        start(C1, 0);
        signer.sign(TezosMessages.attestation(C1, 1, 0), SignatureVersion.LATEST);
        signer.sign(TezosMessages.attestation(C0, 2, 0), SignatureVersion.LATEST);
        assertThatThrownBy(() -> signer.sign(TezosMessages.attestation(C2, 2, 0), SignatureVersion.LATEST))
                .isInstanceOf(LedgerException.HwmRefused.class);
        assertThat(device.mainHwm()).startsWith(1, 0);
        assertThat(device.testHwm()).startsWith(2, 0);
    }

    @Test
    void afterSetupToLevelLABlockAtLZeroIsRefusedButAnAttestationIsSigned() throws Exception {
        start(C0, 5);
        assertThatThrownBy(() -> signer.sign(TezosMessages.block(C0, 5, 0), SignatureVersion.LATEST))
                .isInstanceOf(LedgerException.HwmRefused.class);
        signer.sign(TezosMessages.attestation(C0, 5, 0), SignatureVersion.LATEST);
        assertThat(device.signatureCount()).isEqualTo(1);
    }

    @Test
    void blockOfExactly235BytesIsSignedInOneApdu() throws Exception {
        start(C0, 0);
        // Our largest header (seed nonce hash and locked round) is 234 bytes; one trailing byte, which
        // the app hashes but does not parse, makes it the app's limit.
        byte[] block = java.util.Arrays.copyOf(TezosMessages.block(C0, 7, 1, true, true), 235);
        assertThat(block).hasSize(235);
        String sig = signer.sign(block, SignatureVersion.LATEST);
        assertThat(TezosSignatures.verify(signer.publicKey(), block, sig)).isTrue();
        assertThat(List.of(device.mainHwm()[0], device.mainHwm()[1])).containsExactly(7, 1);
    }
}
