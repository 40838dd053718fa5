package io.bakeguard.ledger.signer;

import io.bakeguard.core.crypto.Base58Check;
import io.bakeguard.core.crypto.Base58Exception;
import io.bakeguard.core.crypto.Prefix;
import io.bakeguard.ledger.app.DeviceKey;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Which physical Ledger a URI names, by its device-ID key: the Ed25519 key at {@code 44'/1729'}
 * (spec/ledger-baking-apdu.md s.3.3). A device whose root key does not match is never used.
 */
public sealed interface DeviceSelector {

    boolean matches(DeviceKey rootKey);

    /** The root key's {@code tz1} (octez's pkh form of the device ID). */
    record RootPkh(String tz1) implements DeviceSelector {
        @Override
        public boolean matches(DeviceKey rootKey) {
            return rootKey.publicKeyHash().equals(tz1);
        }

        @Override
        public String toString() {
            return tz1;
        }
    }

    /** Signatory's short ID: lowercase hex of the first 4 bytes of the root key hash. */
    record ShortId(String hex) implements DeviceSelector {
        @Override
        public boolean matches(DeviceKey rootKey) {
            return HexFormat.of().formatHex(rootKey.hash(), 0, 4).equals(hex);
        }

        @Override
        public String toString() {
            return hex;
        }
    }

    /**
     * Parses the host part of a {@code ledger://} URI.
     *
     * @throws IllegalArgumentException for octez "animals" names (the word lists are not shipped: use
     *     the root tz1 that {@code bakeguard ledger list} prints) and for anything else
     */
    static DeviceSelector parse(String host) {
        if (host.startsWith("tz1")) {
            try {
                Base58Check.decode(host, Prefix.ED25519_PUBLIC_KEY_HASH);
            } catch (Base58Exception e) {
                throw new IllegalArgumentException("device " + host + " is not a valid tz1: " + e.getMessage());
            }
            return new RootPkh(host);
        }
        String lower = host.toLowerCase(Locale.ROOT);
        if (lower.matches("[0-9a-f]{8}")) {
            return new ShortId(lower);
        }
        if (host.matches("[a-z]+-[a-z]+-[a-z]+-[a-z]+")) {
            throw new IllegalArgumentException("octez animal device names (" + host + ") are not supported; name the"
                    + " device by its root tz1 or 8-hex short ID, as `bakeguard ledger list` prints them");
        }
        throw new IllegalArgumentException("cannot tell which Ledger '" + host + "' names: use the device's root"
                + " tz1 or 8-hex short ID (`bakeguard ledger list`)");
    }
}
