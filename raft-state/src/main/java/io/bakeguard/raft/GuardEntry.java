package io.bakeguard.raft;

import io.bakeguard.core.watermark.BucketKey;
import io.bakeguard.core.watermark.Floor;
import io.bakeguard.core.watermark.KeyChain;
import io.bakeguard.core.watermark.Reservation;
import io.bakeguard.core.watermark.Watermark;
import java.util.Map;
import java.util.Objects;

/**
 * One replicated entry of the watermark state machine. Everything that could differ between
 * replicas (the proposer's clock, its id, the key's first-use policy) is filled in by the proposer
 * and carried in the entry, so that applying it is deterministic (conventions.md, "outside vs
 * inside the state machine").
 */
sealed interface GuardEntry {

    /** Id of the replica that proposed the entry. */
    String proposer();

    /** Wall-clock time of the proposer when it proposed the entry. */
    long timeMillis();

    /** A reservation of (key, chain, kind, level, round, digest): the watermark rule decides. */
    record Reserve(String proposer, long timeMillis, Reservation reservation, boolean firstUseAllowed)
            implements GuardEntry {
        public Reserve {
            Objects.requireNonNull(proposer, "proposer");
            Objects.requireNonNull(reservation, "reservation");
        }
    }

    /** The signature returned for a granted reservation. */
    record RecordSignature(
            String proposer,
            long timeMillis,
            BucketKey bucket,
            int level,
            int round,
            String digestHex,
            String signature)
            implements GuardEntry {
        public RecordSignature {
            Objects.requireNonNull(proposer, "proposer");
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(digestHex, "digestHex");
            Objects.requireNonNull(signature, "signature");
        }
    }

    /** A non-consensus decision taken by the proposer's policy, recorded for the watermark log. */
    record RecordDecision(
            String proposer,
            long timeMillis,
            String keyHash,
            String kind,
            String digestHex,
            boolean granted,
            String reason)
            implements GuardEntry {
        public RecordDecision {
            Objects.requireNonNull(proposer, "proposer");
            Objects.requireNonNull(keyHash, "keyHash");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(digestHex, "digestHex");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** An operator-set floor for a (key, chain); only ever moves up. */
    record RaiseFloor(String proposer, long timeMillis, KeyChain keyChain, Floor floor) implements GuardEntry {
        public RaiseFloor {
            Objects.requireNonNull(proposer, "proposer");
            Objects.requireNonNull(keyChain, "keyChain");
            Objects.requireNonNull(floor, "floor");
        }
    }

    /** Marks imported from another signer; each bucket only moves up. */
    record ImportMarks(String proposer, long timeMillis, Map<BucketKey, Watermark> marks) implements GuardEntry {
        public ImportMarks {
            Objects.requireNonNull(proposer, "proposer");
            marks = Map.copyOf(Objects.requireNonNull(marks, "marks"));
        }
    }
}
