package io.bakeguard.ledger.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bakeguard.ledger.app.LedgerCurve;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** octez Ledger URIs (spec/ledger-baking-apdu.md s.3.3) and transport values (design.md s.3). */
class LedgerUriTest {
    private static final String ROOT = "tz1hnWLTrBX8JrSJJX7FfgoYTgv25HgaAuqL";

    @Test
    void rootPkhCurveAndRelativePathArePrefixedWith44h1729h() {
        LedgerUri u = LedgerUri.parse("ledger://" + ROOT + "/ed25519/0h/0h");
        assertThat(u.device()).isEqualTo(new DeviceSelector.RootPkh(ROOT));
        assertThat(u.curve()).isEqualTo(LedgerCurve.ED25519);
        assertThat(HexFormat.of().formatHex(u.path().encode())).isEqualTo("048000002c800006c18000000080000000");
    }

    @Test
    void missingCurveMeansEd25519AndTheSegmentBelongsToThePath() {
        LedgerUri u = LedgerUri.parse("ledger://" + ROOT + "/0'/1'");
        assertThat(u.curve()).isEqualTo(LedgerCurve.ED25519);
        assertThat(u.path().toString()).isEqualTo("44'/1729'/0'/1'");
    }

    @Test
    void octezCurveNamesAreAccepted() {
        assertThat(LedgerUri.parse("ledger://" + ROOT + "/P-256/0h/0").curve()).isEqualTo(LedgerCurve.SECP256R1);
        assertThat(LedgerUri.parse("ledger://" + ROOT + "/secp256k1/0h/0").curve())
                .isEqualTo(LedgerCurve.SECP256K1);
        assertThat(LedgerUri.parse("ledger://" + ROOT + "/ed/0h").curve()).isEqualTo(LedgerCurve.ED25519);
    }

    @Test
    void shortIdSelectsByTheFirstFourHashBytes() {
        assertThat(LedgerUri.parse("ledger://F2ED2BBE/ed25519/0h/0h").device())
                .isEqualTo(new DeviceSelector.ShortId("f2ed2bbe"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "tcp://x/ed25519/0h",
                "ledger:///ed25519/0h",
                "ledger://bakeguard/ed25519/0h/0h",
                "ledger://fatherly-earwig-buoyant-robin/ed25519/0h/0h",
                "ledger://tz1hnWLTrBX8JrSJJX7FfgoYTgv25HgaAuqX/ed25519/0h",
                "ledger://tz1hnWLTrBX8JrSJJX7FfgoYTgv25HgaAuqL/ed25519/0h/0",
                "ledger://tz1hnWLTrBX8JrSJJX7FfgoYTgv25HgaAuqL/curve9/0h",
                "ledger://tz1hnWLTrBX8JrSJJX7FfgoYTgv25HgaAuqL/ed25519/0h/x",
                "ledger://tz1hnWLTrBX8JrSJJX7FfgoYTgv25HgaAuqL/ed25519/1h/2h/3h/4h/5h/6h/7h/8h/9h",
                "ledger://tz1hnWLTrBX8JrSJJX7FfgoYTgv25HgaAuqL/bip25519/0h"
            })
    void badUrisAreRefusedWithAMessage(String text) {
        assertThatThrownBy(() -> LedgerUri.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("null");
    }

    @Test
    void animalNamesAreRefusedSayingWhatToUseInstead() {
        assertThatThrownBy(() -> LedgerUri.parse("ledger://fatherly-earwig-buoyant-robin/ed25519/0h/0h"))
                .hasMessageContaining("root tz1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"usb", "tcp://host", "tcp://host:99/x", "udp://h:1", "tls://h:1"})
    void badTransportsAreRefused(String t) {
        assertThatThrownBy(() -> LedgerSigners.connector(t, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tcpTransportConnectsToTheGivenPort() {
        assertThat(LedgerSigners.connector("tcp://127.0.0.1:9999", Optional.empty())
                        .describe())
                .isEqualTo("tcp://127.0.0.1:9999");
        assertThat(LedgerSigners.connector(null, Optional.empty()).describe()).isEqualTo("hid");
    }
}
