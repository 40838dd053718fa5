package io.bakeguard.safety.check;

import java.util.Locale;

/**
 * One record of a replica's watermark log (design.md s.4) as {@code GET /admin/log} returns it. A record
 * exists only for an applied entry, so every record is committed.
 *
 * @param index Raft log index
 * @param term Raft term
 * @param timeMillis wall-clock time taken by the proposing replica
 * @param proposer id of the proposing replica
 * @param entry entry type ({@code reserve}, {@code signature}, {@code floor}, ...)
 * @param keyHash key, empty when the entry has none
 * @param chainId chain id, empty when none
 * @param kind bucket kind or request kind
 * @param level level, 0 when none
 * @param round round, 0 when none
 * @param digestHex digest, empty when none
 * @param decision {@code granted}, {@code repeat}, {@code refused}, ...
 * @param reason refusal message, empty when none
 * @param previousHash hash of the previous record
 * @param hash hash of this record
 */
public record CommittedRecord(
        long index,
        long term,
        long timeMillis,
        String proposer,
        String entry,
        String keyHash,
        String chainId,
        String kind,
        int level,
        int round,
        String digestHex,
        String decision,
        String reason,
        String previousHash,
        String hash) {

    public Bucket bucket() {
        return new Bucket(keyHash, chainId, kind);
    }

    public LevelRound levelRound() {
        return new LevelRound(level, round);
    }

    /** A reservation the state machine granted (new watermark or repeat): the only thing that lets a replica sign. */
    public boolean grantsSignature() {
        String d = decision.toLowerCase(Locale.ROOT);
        return d.equals("granted") || d.equals("repeat");
    }

    public boolean isGranted() {
        return decision.equalsIgnoreCase("granted");
    }

    public boolean isRepeat() {
        return decision.equalsIgnoreCase("repeat");
    }

    public boolean isRefused() {
        return decision.equalsIgnoreCase("refused");
    }

    /** An operator floor or import that raised the bucket without a signature. */
    public boolean isRaise() {
        return decision.equalsIgnoreCase("raised");
    }

    public String describe() {
        return String.format(
                "log #%d term %d by %s at %d: %s %s %s/%s/%s L%d R%d digest %s -> %s%s",
                index,
                term,
                proposer,
                timeMillis,
                entry,
                decision,
                keyHash,
                chainId,
                kind,
                level,
                round,
                digestHex.substring(0, Math.min(16, digestHex.length())),
                decision,
                reason.isEmpty() ? "" : " (" + reason + ")");
    }
}
