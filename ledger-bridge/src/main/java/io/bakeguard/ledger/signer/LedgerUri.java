package io.bakeguard.ledger.signer;

import io.bakeguard.ledger.app.Bip32Path;
import io.bakeguard.ledger.app.LedgerCurve;
import java.util.Arrays;
import java.util.Optional;

/**
 * An octez-style {@code ledger://<device>/<curve>/<path>} URI (spec/ledger-baking-apdu.md s.3.3):
 * {@code <path>} is relative to {@code 44'/1729'}; when the first segment is not a curve name the
 * curve is Ed25519 and the segment belongs to the path.
 *
 * @param device which Ledger
 * @param curve the key's curve
 * @param path the full derivation path (with the {@code 44'/1729'} prefix)
 * @param text the URI as given
 */
public record LedgerUri(DeviceSelector device, LedgerCurve curve, Bip32Path path, String text) {
    private static final String SCHEME = "ledger://";

    /** @throws IllegalArgumentException with a message naming the problem */
    public static LedgerUri parse(String text) {
        if (!text.startsWith(SCHEME)) {
            throw new IllegalArgumentException("a Ledger URI starts with ledger://, got " + text);
        }
        String[] parts = text.substring(SCHEME.length()).split("/", -1);
        if (parts[0].isEmpty()) {
            throw new IllegalArgumentException("no device in " + text);
        }
        DeviceSelector device = DeviceSelector.parse(parts[0]);
        String[] rest = Arrays.copyOfRange(parts, 1, parts.length);
        LedgerCurve curve = LedgerCurve.ED25519;
        if (rest.length > 0) {
            Optional<LedgerCurve> c = LedgerCurve.ofUriName(rest[0]);
            if (c.isPresent()) {
                curve = c.get();
                rest = Arrays.copyOfRange(rest, 1, rest.length);
            } else if (!rest[0].matches("[0-9]+['hH]?")) {
                throw new IllegalArgumentException(
                        "unknown curve '" + rest[0] + "' in " + text + " (ed25519, secp256k1, P-256, bip25519)");
            }
        }
        if (curve == LedgerCurve.BIP32_ED25519) {
            throw new IllegalArgumentException("bip32-ed25519 Ledger keys are not supported: " + text);
        }
        Bip32Path relative;
        try {
            relative = Bip32Path.parse(String.join("/", rest));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " in " + text);
        }
        if (relative.size() + 2 > Bip32Path.MAX_COMPONENTS) {
            throw new IllegalArgumentException("path too long in " + text);
        }
        if (curve.hardenedOnly() && !relative.allHardened()) {
            throw new IllegalArgumentException("ed25519 paths must be hardened (0h/0h) in " + text);
        }
        return new LedgerUri(device, curve, Bip32Path.TEZOS_ROOT.append(relative), text);
    }

    @Override
    public String toString() {
        return text;
    }
}
