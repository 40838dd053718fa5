package io.bakeguard.ledger.app;

/**
 * VERSION reply (spec/ledger-baking-apdu.md s.3.4): app class ({@code 1} = Baking, {@code 0} =
 * Wallet), major, minor, patch.
 */
public record AppVersion(int appClass, int major, int minor, int patch) {
    public static final int CLASS_WALLET = 0;
    public static final int CLASS_BAKING = 1;

    public boolean isBaking() {
        return appClass == CLASS_BAKING;
    }

    @Override
    public String toString() {
        String kind = appClass == CLASS_BAKING
                ? "Tezos Baking"
                : appClass == CLASS_WALLET ? "Tezos Wallet" : "class " + appClass;
        return kind + " " + major + "." + minor + "." + patch;
    }
}
