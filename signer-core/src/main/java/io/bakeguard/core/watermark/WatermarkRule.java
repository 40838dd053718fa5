package io.bakeguard.core.watermark;

import java.util.Optional;

/**
 * The safety rule of design.md s.1 as one pure function. It is called by the replicated state
 * machine, the tests, the import tool and the model check; it reads no clock, no file and no key.
 *
 * <p>Messages are octez's format strings (spec/tezos-remote-signer.md s.4.1), so an operator sees
 * the same text as with octez-signer.
 */
public final class WatermarkRule {
    private WatermarkRule() {}

    /**
     * Applies the rule.
     *
     * @param current the bucket's content, empty when the bucket does not exist yet
     * @param floor the operator-set floor of the (key, chain), if any
     * @param firstUseAllowed whether the key's policy lets it sign in a bucket that has neither a mark
     *     nor a floor
     * @param r the reservation
     * @return granted (the new mark), repeat (same bytes, same level and round) or refused
     */
    public static Decision apply(
            Optional<Watermark> current, Optional<Floor> floor, boolean firstUseAllowed, Reservation r) {
        String kind = r.bucket().kind().octezName();
        if (floor.isPresent() && floor.get().covers(r.level(), r.round())) {
            Floor f = floor.get();
            String msg = f.round().isPresent()
                    ? String.format(
                            "%s level %d and round %d not above high watermark (%d,%d)",
                            kind, r.level(), r.round(), f.level(), f.round().get())
                    : String.format("%s level %d not above high watermark %d", kind, r.level(), f.level());
            return new Decision.Refused(Decision.Reason.BELOW_FLOOR, msg);
        }
        if (current.isEmpty()) {
            if (floor.isEmpty() && !firstUseAllowed) {
                return new Decision.Refused(
                        Decision.Reason.FIRST_USE_NOT_ALLOWED,
                        String.format(
                                "%s level %d: no high watermark yet for %s on chain %s and first use is not"
                                        + " allowed; set a floor with `bakeguard watermarks raise`",
                                kind,
                                r.level(),
                                r.bucket().keyHash(),
                                r.bucket().chainId()));
            }
            return new Decision.Granted(Watermark.unsigned(r.level(), r.round(), r.digestHex()));
        }
        Watermark m = current.get();
        if (r.level() < m.level()) {
            return new Decision.Refused(
                    Decision.Reason.LEVEL_BELOW,
                    String.format("%s level %d below high watermark %d", kind, r.level(), m.level()));
        }
        if (r.level() == m.level() && r.round() < m.round()) {
            return new Decision.Refused(
                    Decision.Reason.NOT_ABOVE,
                    String.format(
                            "%s level %d and round %d not above high watermark (%d,%d)",
                            kind, r.level(), r.round(), m.level(), m.round()));
        }
        if (r.level() == m.level() && r.round() == m.round()) {
            if (m.digestHex().equals(r.digestHex())) {
                return new Decision.Repeat(m);
            }
            return new Decision.Refused(
                    Decision.Reason.DIFFERENT_DATA,
                    String.format(
                            "%s level %d and round %d already signed with different data", kind, r.level(), r.round()));
        }
        return new Decision.Granted(Watermark.unsigned(r.level(), r.round(), r.digestHex()));
    }

    /**
     * Stores a signature in the bucket, but only when the bucket still holds exactly the (level,
     * round, digest) it was produced for: a signature recorded late never overwrites a newer mark.
     */
    public static Optional<Watermark> recordSignature(
            Optional<Watermark> current, int level, int round, String digestHex, String signature) {
        if (current.isEmpty()) {
            return Optional.empty();
        }
        Watermark m = current.get();
        if (m.level() == level
                && m.round() == round
                && m.digestHex().equals(digestHex)
                && m.signature().isEmpty()) {
            return Optional.of(m.withSignature(signature));
        }
        return Optional.empty();
    }
}
