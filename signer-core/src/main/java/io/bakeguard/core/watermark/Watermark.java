package io.bakeguard.core.watermark;

import java.util.Objects;
import java.util.Optional;

/**
 * The content of one bucket: the highest (level, round) granted, the blake2b-256 digest of the
 * complete request bytes that were granted there, and, once known, the signature returned for them.
 *
 * @param level the level (int32, compared signed as octez does)
 * @param round the round (0 for requests that carry none)
 * @param digestHex lowercase hex of blake2b-256(request bytes), 64 characters
 * @param signature base58 signature returned for these bytes, when it has been recorded
 */
public record Watermark(int level, int round, String digestHex, Optional<String> signature) {
    public Watermark {
        Objects.requireNonNull(digestHex, "digestHex");
        Objects.requireNonNull(signature, "signature");
    }

    public static Watermark unsigned(int level, int round, String digestHex) {
        return new Watermark(level, round, digestHex, Optional.empty());
    }

    public Watermark withSignature(String sig) {
        return new Watermark(level, round, digestHex, Optional.of(sig));
    }

    /** True when (level, round) is strictly above (otherLevel, otherRound) in lexicographic order. */
    public static boolean above(int level, int round, int otherLevel, int otherRound) {
        return level > otherLevel || (level == otherLevel && round > otherRound);
    }
}
