package io.bakeguard.core.key;

import java.util.Optional;

/** Key curves of Tezos (spec/tezos-remote-signer.md s.5, s.6). The tag is the pkh21 / public key tag byte. */
public enum Curve {
    ED25519(0, "tz1", "ed25519"),
    SECP256K1(1, "tz2", "secp256k1"),
    P256(2, "tz3", "p256"),
    BLS12_381(3, "tz4", "bls");

    private final int tag;
    private final String hashPrefix;
    private final String cliName;

    Curve(int tag, String hashPrefix, String cliName) {
        this.tag = tag;
        this.hashPrefix = hashPrefix;
        this.cliName = cliName;
    }

    public int tag() {
        return tag;
    }

    /** {@code tz1}, {@code tz2}, {@code tz3}, {@code tz4}. */
    public String hashPrefix() {
        return hashPrefix;
    }

    /** The name used on the command line and in config ({@code ed25519}, {@code secp256k1}, {@code p256}, {@code bls}). */
    public String cliName() {
        return cliName;
    }

    public static Optional<Curve> ofTag(int tag) {
        for (Curve c : values()) {
            if (c.tag == tag) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    public static Optional<Curve> ofCliName(String name) {
        for (Curve c : values()) {
            if (c.cliName.equalsIgnoreCase(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
