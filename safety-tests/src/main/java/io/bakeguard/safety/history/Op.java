package io.bakeguard.safety.history;

import io.bakeguard.safety.check.Bucket;
import java.util.HexFormat;

/**
 * One signing request of the history: who sent what to which replica, when, and what came back.
 *
 * @param id sequence number in the order requests were sent
 * @param baker the baker thread that sent it
 * @param replica the replica id it was sent to
 * @param keyHash the key's public key hash (tz1...)
 * @param chainId the chain id in base58 (Net...)
 * @param kind the watermark bucket kind ({@code block}, {@code preattestation}, {@code attestation})
 * @param level the level encoded in the request
 * @param round the round encoded in the request
 * @param digestHex blake2b-256 of the complete request bytes, as the watermark log records it
 * @param requestHex the complete request bytes (magic byte included), needed to verify the signature
 * @param startMicros when the request was sent, microseconds since the run started (monotonic clock)
 * @param endMicros when the answer (or the failure) arrived, same clock
 * @param startWallMillis wall-clock time of {@code startMicros}, to compare with times in the watermark log
 * @param endWallMillis wall-clock time of {@code endMicros}
 * @param outcome what came back
 */
public record Op(
        long id,
        int baker,
        String replica,
        String keyHash,
        String chainId,
        String kind,
        int level,
        int round,
        String digestHex,
        String requestHex,
        long startMicros,
        long endMicros,
        long startWallMillis,
        long endWallMillis,
        Outcome outcome) {

    public Bucket bucket() {
        return new Bucket(keyHash, chainId, kind);
    }

    public byte[] requestBytes() {
        return HexFormat.of().parseHex(requestHex);
    }

    public boolean signed() {
        return outcome instanceof Outcome.Signed;
    }

    /** The signature, when the outcome is {@link Outcome.Signed}. */
    public String signature() {
        if (outcome instanceof Outcome.Signed s) {
            return s.signature();
        }
        throw new IllegalStateException("op " + id + " was not signed: " + outcome.type());
    }

    /** One line for failure reports. */
    public String describe() {
        return String.format(
                "op %d baker %d -> %s %s %s %s L%d R%d digest %s [%.3fs..%.3fs] %s",
                id,
                baker,
                replica,
                keyHash,
                chainId,
                kind,
                level,
                round,
                digestHex.substring(0, Math.min(16, digestHex.length())),
                startMicros / 1e6,
                endMicros / 1e6,
                outcomeText());
    }

    private String outcomeText() {
        // Java 17: no pattern matching in switch yet.
        if (outcome instanceof Outcome.Signed s) {
            return "signed " + s.signature();
        } else if (outcome instanceof Outcome.Refused r) {
            return "refused " + r.status() + " " + r.message();
        } else if (outcome instanceof Outcome.NoQuorum n) {
            return "no-quorum " + n.message();
        } else if (outcome instanceof Outcome.Failed f) {
            return "error " + f.status() + " " + f.message();
        } else {
            return "timeout " + ((Outcome.TimedOut) outcome).message();
        }
    }
}
