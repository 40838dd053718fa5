package io.bakeguard.core.watermark;

import java.util.Objects;

/**
 * Identifies one watermark bucket: (key, chain, kind), as octez keys them.
 *
 * @param keyHash base58 public key hash of the signing key ({@code tz1...} to {@code tz4...})
 * @param chainId base58 chain id ({@code NetXdQprcVkpaWU} for mainnet)
 * @param kind the bucket kind chosen by magic byte
 */
public record BucketKey(String keyHash, String chainId, WatermarkKind kind) implements Comparable<BucketKey> {
    public BucketKey {
        Objects.requireNonNull(keyHash, "keyHash");
        Objects.requireNonNull(chainId, "chainId");
        Objects.requireNonNull(kind, "kind");
    }

    /** The (key, chain) pair a floor applies to. */
    public KeyChain keyChain() {
        return new KeyChain(keyHash, chainId);
    }

    @Override
    public int compareTo(BucketKey o) {
        int c = keyHash.compareTo(o.keyHash);
        if (c == 0) {
            c = chainId.compareTo(o.chainId);
        }
        return c != 0 ? c : kind.compareTo(o.kind);
    }
}
