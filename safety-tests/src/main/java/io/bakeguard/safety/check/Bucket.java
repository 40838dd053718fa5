package io.bakeguard.safety.check;

/** A watermark bucket as design.md s.1 keys it: (key, chain id, kind). */
public record Bucket(String keyHash, String chainId, String kind) {
    @Override
    public String toString() {
        return keyHash + "/" + chainId + "/" + kind;
    }
}
