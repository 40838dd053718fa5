package io.bakeguard.raft;

import java.io.IOException;

/**
 * A read or an admin operation could not go through the cluster in time (no leader, minority side
 * of a partition, replica shutting down). Writes report the same situation as {@link
 * GuardResult.NoQuorum} instead.
 */
public final class NoQuorumException extends IOException {
    private static final long serialVersionUID = 1L;

    public NoQuorumException(String message) {
        super(message);
    }

    public NoQuorumException(String message, Throwable cause) {
        super(message, cause);
    }
}
