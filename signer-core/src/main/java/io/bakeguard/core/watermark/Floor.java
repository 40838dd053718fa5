package io.bakeguard.core.watermark;

import java.util.Optional;

/**
 * An operator-set lower bound for a (key, chain): every request of every kind at or below it is
 * refused. Set by {@code bakeguard watermarks raise} or an import, so that a new cluster never
 * re-signs what an older signer already signed. A floor only ever moves up.
 *
 * @param level the level at or below which requests are refused
 * @param round when present, requests at {@code level} with a higher round are still allowed; when
 *     empty the whole level is covered
 */
public record Floor(int level, Optional<Integer> round) {

    /** True when a request at (level, round) is at or below this floor. */
    public boolean covers(int reqLevel, int reqRound) {
        if (reqLevel != level) {
            return reqLevel < level;
        }
        return round.isEmpty() || reqRound <= round.get();
    }

    /** True when this floor is strictly higher than {@code other} (so raising to it moves up). */
    public boolean above(Floor other) {
        if (level != other.level) {
            return level > other.level;
        }
        if (other.round.isEmpty()) {
            return false;
        }
        return round.isEmpty() || round.get() > other.round.get();
    }

    @Override
    public String toString() {
        return round.map(r -> "(" + level + "," + r + ")").orElse(String.valueOf(level));
    }
}
