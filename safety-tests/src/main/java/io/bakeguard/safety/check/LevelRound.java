package io.bakeguard.safety.check;

/** A (level, round) position, ordered by level then round as the watermark rule orders them. */
public record LevelRound(int level, int round) implements Comparable<LevelRound> {
    @Override
    public int compareTo(LevelRound o) {
        int c = Integer.compare(level, o.level);
        return c != 0 ? c : Integer.compare(round, o.round);
    }

    public boolean below(LevelRound o) {
        return compareTo(o) < 0;
    }

    public boolean above(LevelRound o) {
        return compareTo(o) > 0;
    }

    @Override
    public String toString() {
        return "(" + level + "," + round + ")";
    }
}
