package io.bakeguard.ledger.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.bakeguard.ledger.app.Bip32Path;
import io.bakeguard.ledger.app.DeviceKey;
import io.bakeguard.ledger.app.LedgerCurve;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Key vectors of spec/ledger-baking-apdu.md s.3.9 (zebra seed) and Signatory's documented root. */
class KeyDerivationTest {
    private static final Bip32Path ACCOUNT = Bip32Path.parse("44'/1729'/0'/0'");
    private final SimulatedBakingApp app =
            new SimulatedBakingApp(KeyDerivation.bip39Seed(KeyDerivation.ZEBRA_MNEMONIC, ""));

    @Test
    void ed25519AccountKeyMatchesTheAppsTestAccount() throws Exception {
        byte[] reply = app.publicKeyReply(LedgerCurve.ED25519, ACCOUNT);
        assertThat(HexFormat.of().formatHex(reply))
                .isEqualTo("2102747884d9abdf16b3ab745158925f567e222f71225501826fa83347f6cbe9c393");
        DeviceKey k = DeviceKey.fromReply(LedgerCurve.ED25519, reply);
        assertThat(k.publicKeyHash()).isEqualTo("tz1dyX3B1CFYa2DfdFLyPtiJCfQRUgPVME6E");
        assertThat(k.publicKey()).isEqualTo("edpkuXX2VdkdXzkN11oLCb8Aurdo1BTAtQiK8ZY9UPj2YMt3AHEpcY");
    }

    @Test
    void secp256k1AccountKeyMatchesTheDeviceReplyOfTheSpec() throws Exception {
        byte[] reply = app.publicKeyReply(LedgerCurve.SECP256K1, ACCOUNT);
        assertThat(HexFormat.of().formatHex(reply))
                .isEqualTo("4104211f369d9ec3a0fbe10febf05a8b67a9ca705b90534b9dfe3e08f2dac99bd008"
                        + "111079d35265a935866e0444f1a4c1044c9c81f4178d43ef5c132332019bf9c1");
        DeviceKey k = DeviceKey.fromReply(LedgerCurve.SECP256K1, reply);
        assertThat(k.publicKeyHash()).isEqualTo("tz2GB5YHqF4UzQ8GP5yUqdhY9oVWRXCY2hPU");
        assertThat(k.publicKey()).isEqualTo("sppk7bVy617DmGvXsMqcwsiLtnedTN2trUi5ugXcNig7en4rHJyunK1");
    }

    @Test
    void p256AccountKeyMatchesTheDeviceReplyOfTheSpec() throws Exception {
        byte[] reply = app.publicKeyReply(LedgerCurve.SECP256R1, ACCOUNT);
        assertThat(HexFormat.of().formatHex(reply))
                .isEqualTo("410497f4d381101d2908a13669313faec5dbf6693985584f96268ea2c25178199ddd"
                        + "1aad041e7564795eb4b9a4f379e8cdc0c8391f7b2880613771fff76e6a6b05cf");
        DeviceKey k = DeviceKey.fromReply(LedgerCurve.SECP256R1, reply);
        assertThat(k.publicKeyHash()).isEqualTo("tz3UMNyvQeMj6mQSftW2aV2XaWd3afTAM1d5");
        assertThat(k.publicKey()).isEqualTo("p2pk67fq5pzuMMABZ9RDrooYbLrgmnQbLt8z7PTGM9mskf7LXS5tdBG");
    }

    @Test
    void deviceIdKeyOfTheZebraSeedIsTheSpecsRoot() throws Exception {
        DeviceKey root =
                DeviceKey.fromReply(LedgerCurve.ED25519, app.publicKeyReply(LedgerCurve.ED25519, Bip32Path.TEZOS_ROOT));
        assertThat(root.publicKeyHash()).isEqualTo("tz1hnWLTrBX8JrSJJX7FfgoYTgv25HgaAuqL");
        assertThat(HexFormat.of().formatHex(root.hash()).substring(0, 8)).isEqualTo("f2ed2bbe");
    }

    @Test
    void signatorysIntegrationMnemonicGivesItsDocumentedRoot() throws Exception {
        SimulatedBakingApp other = new SimulatedBakingApp(KeyDerivation.bip39Seed(
                "umbrella idea improve dance correct venue mad atom salmon detail please trip", ""));
        DeviceKey root = DeviceKey.fromReply(
                LedgerCurve.ED25519, other.publicKeyReply(LedgerCurve.ED25519, Bip32Path.TEZOS_ROOT));
        assertThat(root.publicKeyHash()).isEqualTo("tz1daTbhMHpmMXQYaVYmzZTM3S11oshHPrMm");
        assertThat(HexFormat.of().formatHex(root.hash()).substring(0, 8)).isEqualTo("c4c56423");
    }
}
