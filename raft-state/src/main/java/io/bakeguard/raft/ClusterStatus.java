package io.bakeguard.raft;

import java.util.List;
import java.util.Optional;

/**
 * This replica's view of the cluster.
 *
 * @param selfId this replica's id
 * @param role {@code LEADER}, {@code FOLLOWER}, {@code CANDIDATE}, {@code LISTENER} or {@code UNKNOWN}
 * @param leaderId the current leader as this replica knows it
 * @param term current term
 * @param commitIndex highest index known committed
 * @param appliedIndex highest index applied to the state machine
 * @param historyStartIndex first index of the watermark log held locally (above 1 after a snapshot install)
 * @param peers the configured members
 */
public record ClusterStatus(
        String selfId,
        String role,
        Optional<String> leaderId,
        long term,
        long commitIndex,
        long appliedIndex,
        long historyStartIndex,
        List<Peer> peers) {

    /**
     * @param id peer id
     * @param raftAddress host:port of its Raft endpoint
     * @param matchIndex as seen by the leader, when this replica is the leader
     * @param lastContactMillisAgo as seen by the leader, when this replica is the leader
     */
    public record Peer(String id, String raftAddress, Optional<Long> matchIndex, Optional<Long> lastContactMillisAgo) {}
}
