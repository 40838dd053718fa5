package io.bakeguard.raft;

import io.bakeguard.core.watermark.Decision;

/** What a replica learned from the cluster for one proposal. */
public sealed interface GuardResult permits GuardResult.Decided, GuardResult.NoQuorum {

    /** The entry was committed on a majority and applied; {@code decision} is the rule's outcome. */
    record Decided(Decision decision, long logIndex) implements GuardResult {}

    /**
     * The entry could not be committed before the deadline (no leader, minority side of a partition,
     * too slow). Nothing may be signed. The entry may still commit later: that burns the (level,
     * round), which is safe.
     */
    record NoQuorum(String reason) implements GuardResult {}
}
