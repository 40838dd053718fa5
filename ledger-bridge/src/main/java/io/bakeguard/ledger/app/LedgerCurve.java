package io.bakeguard.ledger.app;

import io.bakeguard.core.key.Curve;
import java.util.Locale;
import java.util.Optional;

/** Curve codes of the Baking app, sent in P2 (spec/ledger-baking-apdu.md s.3.2). */
public enum LedgerCurve {
    ED25519(0x00, Curve.ED25519, "ed25519"),
    SECP256K1(0x01, Curve.SECP256K1, "secp256k1"),
    SECP256R1(0x02, Curve.P256, "P-256"),
    BIP32_ED25519(0x03, Curve.ED25519, "bip25519"),
    BLS12_381(0x04, Curve.BLS12_381, "bls");

    private final int code;
    private final Curve tezosCurve;
    private final String uriName;

    LedgerCurve(int code, Curve tezosCurve, String uriName) {
        this.code = code;
        this.tezosCurve = tezosCurve;
        this.uriName = uriName;
    }

    public int code() {
        return code;
    }

    /** The Tezos key type (tz1..tz4) the device's key of this curve is. */
    public Curve tezosCurve() {
        return tezosCurve;
    }

    /** The name octez prints in URIs. */
    public String uriName() {
        return uriName;
    }

    /** True when only hardened path components are allowed (SLIP-10 Ed25519, s.3.3). */
    public boolean hardenedOnly() {
        return this == ED25519;
    }

    public static Optional<LedgerCurve> ofCode(int code) {
        for (LedgerCurve c : values()) {
            if (c.code == code) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** octez's curve names in URIs (s.3.2: {@code ed25519}, {@code ed}, {@code P-256}, ...). */
    public static Optional<LedgerCurve> ofUriName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "ed25519", "ed" -> Optional.of(ED25519);
            case "secp256k1" -> Optional.of(SECP256K1);
            case "p-256", "p256", "secp256r1" -> Optional.of(SECP256R1);
            case "bip25519", "bip32-ed25519" -> Optional.of(BIP32_ED25519);
            default -> Optional.empty();
        };
    }
}
