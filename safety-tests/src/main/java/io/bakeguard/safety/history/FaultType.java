package io.bakeguard.safety.history;

/** What the nemesis can do to the cluster. */
public enum FaultType {
    /** SIGKILL one replica chosen at random, restart it after a while. */
    KILL_ONE(true, false),
    /** SIGKILL the current leader, restart it after a while. */
    KILL_LEADER(true, false),
    /** SIGKILL a majority at once (the leader may or may not be among them), restart them. */
    KILL_MAJORITY(true, false),
    /** SIGKILL every replica at once, restart all; watermarks are compared before and after. */
    KILL_ALL(true, false),
    /** SIGSTOP one replica for longer than the election timeout, then SIGCONT. */
    PAUSE_ONE(false, false),
    /** SIGSTOP the leader for longer than the election timeout, then SIGCONT. */
    PAUSE_LEADER(false, false),
    /** Cut every Raft link to and from one replica (the leader half of the time). */
    ISOLATE_ONE(false, true),
    /** Split the replicas into a majority and a minority that cannot reach each other. */
    SPLIT_MAJORITY_MINORITY(false, true),
    /** Two halves that cannot reach each other, and one replica that reaches both. */
    BRIDGE(false, true),
    /** Cut only the links into the leader: it can still send, but hears nothing back. */
    ONE_WAY_LEADER(false, true),
    /**
     * Delay every fsync of one replica (the leader half of the time) by tens to hundreds of milliseconds, through an
     * LD_PRELOAD shim; the replica keeps running. Injected only where the shim could be built.
     */
    SLOW_DISK(false, false);

    private final boolean kills;
    private final boolean partitions;

    FaultType(boolean kills, boolean partitions) {
        this.kills = kills;
        this.partitions = partitions;
    }

    public boolean kills() {
        return kills;
    }

    public boolean partitions() {
        return partitions;
    }
}
