package io.bakeguard.raft;

import io.bakeguard.core.watermark.BucketKey;
import io.bakeguard.core.watermark.Decision;
import io.bakeguard.core.watermark.Floor;
import io.bakeguard.core.watermark.KeyChain;
import io.bakeguard.core.watermark.Watermark;
import java.util.SortedMap;

/** What the state machine answers to an entry or a query (encoded by {@link GuardCodec}). */
sealed interface GuardReply {

    /** An applied entry: the rule's decision and the entry's log index. */
    record Decided(Decision decision, long logIndex) implements GuardReply {}

    /** The entry or query could not be decoded; nothing was changed. */
    record Invalid(String message) implements GuardReply {}

    /** Every bucket. */
    record Marks(SortedMap<BucketKey, Watermark> marks) implements GuardReply {}

    /** Every floor. */
    record Floors(SortedMap<KeyChain, Floor> floors) implements GuardReply {}

    /** Answer to a ping (used to check that a linearizable read goes through). */
    record Pong(long appliedIndex) implements GuardReply {}
}
