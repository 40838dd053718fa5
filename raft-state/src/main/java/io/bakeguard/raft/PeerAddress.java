package io.bakeguard.raft;

import java.util.Objects;

/**
 * One member of the Raft group as configured (design.md s.3 {@code cluster:} list).
 *
 * @param id the replica id ({@code n1}); also its Ratis peer id
 * @param raftAddress {@code host:port} of its Ratis gRPC endpoint
 */
public record PeerAddress(String id, String raftAddress) {
    public PeerAddress {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(raftAddress, "raftAddress");
        if (id.isBlank() || !id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("peer id must be 1-64 characters of [A-Za-z0-9._-], got '" + id + "'");
        }
        int colon = raftAddress.lastIndexOf(':');
        if (colon <= 0 || colon == raftAddress.length() - 1) {
            throw new IllegalArgumentException(
                    "raft address of " + id + " must be host:port, got '" + raftAddress + "'");
        }
        int port;
        try {
            port = Integer.parseInt(raftAddress.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "raft address of " + id + " must end with a numeric port, got '" + raftAddress + "'", e);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("raft port of " + id + " must be 1-65535, got " + port);
        }
    }

    /** The host part (without brackets for IPv6 literals). */
    public String host() {
        String h = raftAddress.substring(0, raftAddress.lastIndexOf(':'));
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /** The port part. */
    public int port() {
        return Integer.parseInt(raftAddress.substring(raftAddress.lastIndexOf(':') + 1));
    }
}
