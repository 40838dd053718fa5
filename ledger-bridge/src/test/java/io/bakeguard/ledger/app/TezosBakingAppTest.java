package io.bakeguard.ledger.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bakeguard.ledger.apdu.HidApduTransport;
import io.bakeguard.ledger.apdu.ResponseApdu;
import io.bakeguard.ledger.sim.KeyDerivation;
import io.bakeguard.ledger.sim.SimulatedHidBus;
import io.bakeguard.ledger.sim.SimulatedLedger;
import io.bakeguard.ledger.testing.RecordingTransport;
import io.bakeguard.ledger.testing.TezosMessages;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The command layer against the simulated app over HID framing: the APDU vectors of
 * spec/ledger-baking-apdu.md s.3.9 byte for byte, and the status words of s.3.8 as typed errors.
 */
class TezosBakingAppTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final Duration T = Duration.ofSeconds(2);
    private static final Bip32Path ACCOUNT = Bip32Path.parse("44'/1729'/0'/0'");

    private SimulatedLedger device;
    private RecordingTransport wire;
    private TezosBakingApp app;

    @BeforeEach
    void setUp() throws Exception {
        device = new SimulatedLedger("zebra", KeyDerivation.ZEBRA_MNEMONIC);
        SimulatedHidBus bus = new SimulatedHidBus(device);
        wire = new RecordingTransport(
                new HidApduTransport(bus.open(bus.enumerate().get(0))));
        app = new TezosBakingApp(wire, T);
    }

    @AfterEach
    void tearDown() {
        wire.close();
        device.close();
    }

    @Test
    void versionIsTheSpecVector() throws Exception {
        assertThat(app.version()).isEqualTo(new AppVersion(1, 2, 5, 1));
        assertThat(wire.lastCommand()).isEqualTo("8000000000");
        assertThat(wire.lastReply()).isEqualTo("010205019000");
    }

    @Test
    void getPublicKeyIsTheSpecVector() throws Exception {
        DeviceKey k = app.getPublicKey(LedgerCurve.ED25519, ACCOUNT);
        assertThat(wire.lastCommand()).isEqualTo("8002000011048000002c800006c18000000080000000");
        assertThat(wire.lastReply())
                .isEqualTo("2102747884d9abdf16b3ab745158925f567e222f71225501826fa83347f6cbe9c3939000");
        assertThat(k.publicKeyHash()).isEqualTo("tz1dyX3B1CFYa2DfdFLyPtiJCfQRUgPVME6E");
    }

    @Test
    void promptPublicKeyForSecp256k1UsesP2One() throws Exception {
        app.promptPublicKey(LedgerCurve.SECP256K1, ACCOUNT, T);
        assertThat(wire.lastCommand()).isEqualTo("8003000111048000002c800006c18000000080000000");
    }

    @Test
    void setupResetAndQueriesAreTheSpecVectors() throws Exception {
        app.setup(TezosMessages.MAINNET, 0, 0, LedgerCurve.ED25519, ACCOUNT, T);
        assertThat(wire.lastCommand())
                .isEqualTo("800a00001d7a06a770000000000000000004" + "8000002c800006c18000000080000000");
        app.reset(100, T);
        assertThat(wire.lastCommand()).isEqualTo("8006000004" + "00000064");
        assertThat(app.queryMainHwm()).isEqualTo(new Hwm(100, 0));
        assertThat(wire.lastCommand()).isEqualTo("8008000000");
        assertThat(wire.lastReply()).isEqualTo("00000064" + "00000000" + "9000");
        AllHwm all = app.queryAllHwm();
        assertThat(wire.lastCommand()).isEqualTo("800b000000");
        assertThat(all.main()).isEqualTo(new Hwm(100, 0));
        assertThat(all.test()).isEqualTo(new Hwm(100, 0));
        assertThat(all.mainChainIdHex()).isEqualTo("7a06a770");
        assertThat(app.queryAuthKeyWithCurve()).contains(new AuthorizedKey(LedgerCurve.ED25519, ACCOUNT));
        assertThat(wire.lastCommand()).isEqualTo("800d000000");
        assertThat(wire.lastReply()).isEqualTo("00048000002c800006c18000000080000000" + "9000");
        assertThat(app.queryAuthKey()).contains(ACCOUNT);
        app.deauthorize();
        assertThat(wire.lastCommand()).isEqualTo("800c000000");
        assertThat(app.queryAuthKeyWithCurve()).isEmpty();
        assertThat(app.git()).isEqualTo("bakeguard-sim");
        assertThat(wire.commands()).contains("8009000000");
    }

    @Test
    void attestationSignatureIsTheSpecVector() throws Exception {
        app.setup(TezosMessages.CHAIN_0, 0, 0, LedgerCurve.ED25519, ACCOUNT, T);
        byte[] msg = TezosMessages.attestation(TezosMessages.CHAIN_0, 1, 2);
        assertThat(HEX.formatHex(io.bakeguard.core.crypto.Blake2b.hash256(msg)))
                .isEqualTo("459ae0102f4b15b0f0ac1452710a1e0fe1603924aa5cd2f03c6240a2d9142a36");
        byte[] sig = app.signPlain(LedgerCurve.ED25519, ACCOUNT, msg);
        String expected = "f35488848b3e512eadfd509d381ddb269a8f8af69c4cfc55bac436ef2c519d63"
                + "67ac04575b82eacca3485ce7d816abafa69dcf4257e306d32c290a06ff354d04";
        assertThat(wire.commands().get(wire.commands().size() - 2))
                .isEqualTo("8004000011048000002c800006c18000000080000000");
        assertThat(wire.lastCommand()).isEqualTo("8004810050" + HEX.formatHex(msg));
        assertThat(HEX.formatHex(sig)).isEqualTo(expected);
        assertThat(DeviceSignatures.toBase58(LedgerCurve.ED25519, sig))
                .isEqualTo(
                        "edsigu5eAW3NmmRyfMFFLegfVu99Tu2JacJGiLVU1iT2bo3VGnULNsFtc9juqHkLZaPSSCCdkxiWjtdppsbd6Vp2m72psX4587c");
        assertThat(device.mainHwm()).containsExactly(1, 2, 1, 0);
    }

    @Test
    void signWithHashReturnsTheHashThenTheSameSignature() throws Exception {
        app.setup(TezosMessages.CHAIN_0, 0, 0, LedgerCurve.ED25519, ACCOUNT, T);
        byte[] sig =
                app.signWithHash(LedgerCurve.ED25519, ACCOUNT, TezosMessages.attestation(TezosMessages.CHAIN_0, 1, 2));
        assertThat(wire.lastReply()).startsWith("459ae0102f4b15b0f0ac1452710a1e0fe1603924aa5cd2f03c6240a2d9142a36f354");
        assertThat(HEX.formatHex(sig)).startsWith("f35488848b3e512e");
    }

    @Test
    void hmacIsTheSpecVector() throws Exception {
        assertThat(HEX.formatHex(app.hmac(LedgerCurve.ED25519, ACCOUNT, HEX.parseHex("00"))))
                .isEqualTo("19248aa5277e4b53e817dc75d2eee7bac7e5e5c288293b978ca7769673cb16f1");
        assertThat(HEX.formatHex(app.hmac(LedgerCurve.ED25519, ACCOUNT, HEX.parseHex("0123456789abcdef"))))
                .isEqualTo("dde436940ab1602029a49dc77e6263b633fa3567c4d8479820d4f77072369ac1");
        assertThat(wire.lastCommand()).isEqualTo("800e000019048000002c800006c18000000080000000" + "0123456789abcdef");
    }

    @Test
    void secp256k1SignatureIsDerWithParityAndConvertsToLowS() throws Exception {
        app.setup(TezosMessages.CHAIN_0, 0, 0, LedgerCurve.SECP256K1, ACCOUNT, T);
        DeviceKey k = app.getPublicKey(LedgerCurve.SECP256K1, ACCOUNT);
        for (int level = 1; level <= 8; level++) {
            byte[] msg = TezosMessages.attestation(TezosMessages.CHAIN_0, level, 0);
            byte[] der = app.signWithHash(LedgerCurve.SECP256K1, ACCOUNT, msg);
            assertThat(der[0] & 0xfe).isEqualTo(0x30);
            String sig = DeviceSignatures.toBase58(
                    LedgerCurve.SECP256K1, DeviceSignatures.toTezos(LedgerCurve.SECP256K1, der));
            assertThat(io.bakeguard.ledger.testing.TezosSignatures.verify(k.publicKey(), msg, sig))
                    .isTrue();
            assertThat(io.bakeguard.ledger.testing.TezosSignatures.lowS(k.publicKey(), sig))
                    .isTrue();
        }
    }

    @Test
    void messageOver235BytesIsRefusedBeforeAnyIo() {
        int before = device.exchangeCount();
        assertThatThrownBy(() -> app.signWithHash(LedgerCurve.ED25519, ACCOUNT, new byte[236]))
                .isInstanceOf(LedgerException.BadRequest.class)
                .hasMessageContaining("236 bytes");
        assertThat(device.exchangeCount()).isEqualTo(before);
    }

    @Test
    void signingWithAKeyOtherThanTheAuthorizedOneIsKeyNotAuthorized() throws Exception {
        app.setup(TezosMessages.CHAIN_0, 0, 0, LedgerCurve.ED25519, ACCOUNT, T);
        assertThatThrownBy(() -> app.signWithHash(
                        LedgerCurve.ED25519,
                        Bip32Path.parse("44'/1729'/0'/1'"),
                        TezosMessages.attestation(TezosMessages.CHAIN_0, 1, 0)))
                .isInstanceOf(LedgerException.KeyNotAuthorized.class);
    }

    @Test
    void legacyAndUnknownMagicBytesAreMessageRejected() throws Exception {
        app.setup(TezosMessages.CHAIN_0, 0, 0, LedgerCurve.ED25519, ACCOUNT, T);
        for (int magic : new int[] {0x01, 0x02, 0x03, 0x05, 0x04}) {
            byte[] m = TezosMessages.attestation(TezosMessages.CHAIN_0, 5, 0);
            m[0] = (byte) magic;
            assertThatThrownBy(() -> app.signWithHash(LedgerCurve.ED25519, ACCOUNT, m))
                    .isInstanceOf(LedgerException.MessageRejected.class);
        }
        byte[] truncated = java.util.Arrays.copyOf(TezosMessages.attestation(TezosMessages.CHAIN_0, 5, 0), 60);
        assertThatThrownBy(() -> app.signWithHash(LedgerCurve.ED25519, ACCOUNT, truncated))
                .isInstanceOf(LedgerException.MessageRejected.class);
        assertThat(device.signatureCount()).isZero();
    }

    @Test
    void splitMessageIsRefusedOnItsSecondPartAsTheBakingAppDoes() throws Exception {
        app.setup(TezosMessages.CHAIN_0, 0, 0, LedgerCurve.ED25519, ACCOUNT, T);
        byte[] msg = TezosMessages.attestation(TezosMessages.CHAIN_0, 1, 0);
        assertThat(raw("8004000011048000002c800006c18000000080000000").sw()).isEqualTo(0x9000);
        assertThat(raw("8004010028" + HEX.formatHex(msg, 0, 40)).sw()).isEqualTo(0x9000);
        assertThat(raw("8004810028" + HEX.formatHex(msg, 40, 80)).sw()).isEqualTo(0x9405);
        assertThat(device.signatureCount()).isZero();
    }

    @Test
    void malformedApdusGetTheAppsStatusWords() throws Exception {
        assertThat(raw("80000000").sw()).as("no Lc").isEqualTo(0x6C00);
        assertThat(raw("8000000001").sw()).as("Lc > data").isEqualTo(0x6C00);
        assertThat(raw("80040000ec" + "00".repeat(236)).sw()).as("Lc > 235").isEqualTo(0x917E);
        assertThat(raw("e000000000").sw()).as("CLA").isEqualTo(0x6E00);
        assertThat(raw("8005000000").sw()).as("INS 05").isEqualTo(0x6D00);
        assertThat(raw("8000010000").sw()).as("P1 not 0").isEqualTo(0x6B00);
        assertThat(raw("8000000001ff").sw()).as("data where none").isEqualTo(0x6A80);
        assertThat(raw("8002000705048000002c").sw()).as("bad curve").isEqualTo(0x6B00);
        assertThat(raw("80020000090b8000002c800006c1").sw()).as("count 11").isEqualTo(0x6A80);
        assertThat(raw("800200000a028000002c800006c100").sw()).as("trailing").isEqualTo(0x6C00);
        assertThat(raw("8004810001" + "13").sw()).as("message before key APDU").isEqualTo(0x917E);
        assertThat(raw("8004420000").sw()).as("bad sign P1").isEqualTo(0x6B00);
        assertThat(raw("80060000044000000a").sw()).as("reset level bit 30").isEqualTo(0x6A80);
    }

    @Test
    void deviceStatesMapToTypedErrors() throws Exception {
        device.setScreen(SimulatedLedger.Screen.LOCKED);
        assertThatThrownBy(app::version).isInstanceOf(LedgerException.DeviceLocked.class);
        device.setScreen(SimulatedLedger.Screen.DASHBOARD);
        assertThatThrownBy(app::version).isInstanceOf(LedgerException.AppNotOpen.class);
        assertThat(app.runningAppName()).isEqualTo("BOLOS");
        device.setScreen(SimulatedLedger.Screen.OTHER_APP);
        assertThatThrownBy(app::version).isInstanceOf(LedgerException.AppNotOpen.class);
        device.setScreen(SimulatedLedger.Screen.WALLET_APP);
        assertThat(app.version().isBaking()).isFalse();
        device.setScreen(SimulatedLedger.Screen.BAKING_APP);
        assertThat(app.runningAppName()).isEqualTo("Tezos Baking");
    }

    @Test
    void rejectedPromptIsUserRejected() {
        device.setOperator(p -> io.bakeguard.ledger.sim.PromptAnswer.REJECT);
        assertThatThrownBy(() -> app.setup(TezosMessages.CHAIN_0, 0, 0, LedgerCurve.ED25519, ACCOUNT, T))
                .isInstanceOf(LedgerException.UserRejected.class);
    }

    private ResponseApdu raw(String hex) throws Exception {
        return wire.exchange(HEX.parseHex(hex), T);
    }
}
