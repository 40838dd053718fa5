package io.bakeguard.ledger.app;

/** The device's authorized baking key (QUERY_AUTH_KEY_WITH_CURVE, spec/ledger-baking-apdu.md s.3.4). */
public record AuthorizedKey(LedgerCurve curve, Bip32Path path) {
    @Override
    public String toString() {
        return curve.uriName() + " " + path;
    }
}
