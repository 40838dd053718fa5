package io.bakeguard.core.watermark;

import java.util.Objects;

/**
 * What a replica proposes for a consensus request: the bucket, the (level, round) decoded from the
 * bytes and blake2b-256 of the complete request bytes.
 */
public record Reservation(BucketKey bucket, int level, int round, String digestHex) {
    public Reservation {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(digestHex, "digestHex");
        if (digestHex.length() != 64) {
            throw new IllegalArgumentException("digest must be 32 bytes of hex, got " + digestHex.length() + " chars");
        }
    }
}
