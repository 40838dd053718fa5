package io.bakeguard.raft;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What one replica needs to join the Raft group.
 *
 * @param selfId this replica's id; must be one of {@code peers}
 * @param dataDir where the Ratis log, snapshots and the watermark log live
 * @param peers every member, the same list on every replica
 * @param tls mutual TLS between replicas, when configured
 * @param electionTimeoutMin lower bound of the randomized election timeout (spec/ratis.md s.7: 300 ms)
 * @param electionTimeoutMax upper bound of the randomized election timeout (spec/ratis.md s.7: 600 ms)
 */
public record ReplicaSettings(
        String selfId,
        Path dataDir,
        List<PeerAddress> peers,
        Optional<RaftTls> tls,
        Duration electionTimeoutMin,
        Duration electionTimeoutMax) {

    /** spec/ratis.md s.1.4 and s.7: fewer spurious elections under GC than Ratis' 150/300 ms. */
    public static final Duration DEFAULT_ELECTION_TIMEOUT_MIN = Duration.ofMillis(300);

    public static final Duration DEFAULT_ELECTION_TIMEOUT_MAX = Duration.ofMillis(600);

    public ReplicaSettings {
        Objects.requireNonNull(selfId, "selfId");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(electionTimeoutMin, "electionTimeoutMin");
        Objects.requireNonNull(electionTimeoutMax, "electionTimeoutMax");
        peers = List.copyOf(Objects.requireNonNull(peers, "peers"));
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("the cluster list is empty: it must name at least this replica");
        }
        Set<String> ids = new HashSet<>();
        for (PeerAddress p : peers) {
            if (!ids.add(p.id())) {
                throw new IllegalArgumentException("peer id " + p.id() + " appears twice in the cluster list");
            }
        }
        if (!ids.contains(selfId)) {
            throw new IllegalArgumentException("this replica's id " + selfId + " is not in the cluster list " + ids);
        }
        if (electionTimeoutMin.isNegative()
                || electionTimeoutMin.isZero()
                || electionTimeoutMax.compareTo(electionTimeoutMin) <= 0) {
            throw new IllegalArgumentException("election timeouts must satisfy 0 < min < max, got "
                    + electionTimeoutMin.toMillis() + " ms / " + electionTimeoutMax.toMillis() + " ms");
        }
    }

    /** Settings with no TLS and the default election timeouts. */
    public static ReplicaSettings of(String selfId, Path dataDir, List<PeerAddress> peers) {
        return new ReplicaSettings(
                selfId, dataDir, peers, Optional.empty(), DEFAULT_ELECTION_TIMEOUT_MIN, DEFAULT_ELECTION_TIMEOUT_MAX);
    }

    /** The same settings with mutual TLS. */
    public ReplicaSettings withTls(RaftTls raftTls) {
        return new ReplicaSettings(
                selfId, dataDir, peers, Optional.of(raftTls), electionTimeoutMin, electionTimeoutMax);
    }

    /** The same settings with other election timeouts (tests use Ratis' 150/300 ms). */
    public ReplicaSettings withElectionTimeouts(Duration min, Duration max) {
        return new ReplicaSettings(selfId, dataDir, peers, tls, min, max);
    }

    /** This replica's own entry of {@link #peers}. */
    public PeerAddress self() {
        return peers.stream().filter(p -> p.id().equals(selfId)).findFirst().orElseThrow();
    }
}
