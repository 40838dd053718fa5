package io.bakeguard.ledger.app;

/** A device high watermark (level, round) as QUERY_MAIN_HWM / QUERY_ALL_HWM report it. */
public record Hwm(int level, int round) {
    @Override
    public String toString() {
        return "(" + level + "," + round + ")";
    }
}
