package io.bakeguard.core.watermark;

import java.util.Objects;

/** A (key, chain) pair: the scope of an operator-set floor. Both are base58 strings. */
public record KeyChain(String keyHash, String chainId) implements Comparable<KeyChain> {
    public KeyChain {
        Objects.requireNonNull(keyHash, "keyHash");
        Objects.requireNonNull(chainId, "chainId");
    }

    @Override
    public int compareTo(KeyChain o) {
        int c = keyHash.compareTo(o.keyHash);
        return c != 0 ? c : chainId.compareTo(o.chainId);
    }
}
