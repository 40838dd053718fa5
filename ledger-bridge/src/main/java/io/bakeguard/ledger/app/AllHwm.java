package io.bakeguard.ledger.app;

import java.util.HexFormat;

/**
 * QUERY_ALL_HWM reply (spec/ledger-baking-apdu.md s.3.4): main and test HWM and the main chain id.
 * Legacy apps (12 bytes) report no rounds: they are 0 and {@link #legacy()} is true.
 */
public record AllHwm(Hwm main, Hwm test, byte[] mainChainId, boolean legacy) {
    public AllHwm {
        mainChainId = mainChainId.clone();
    }

    @Override
    public byte[] mainChainId() {
        return mainChainId.clone();
    }

    public String mainChainIdHex() {
        return HexFormat.of().formatHex(mainChainId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AllHwm a
                && a.main.equals(main)
                && a.test.equals(test)
                && java.util.Arrays.equals(a.mainChainId, mainChainId)
                && a.legacy == legacy;
    }

    @Override
    public int hashCode() {
        return main.hashCode() * 31 + test.hashCode();
    }

    @Override
    public String toString() {
        return "main " + main + ", test " + test + ", chain " + mainChainIdHex();
    }
}
