package io.bakeguard.ledger.signer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The signatures this signer produced, by blake2b-256 digest of the exact bytes signed (spec
 * s.8.2): a retry of the same bytes gets the same signature without a second device signature (the
 * device would refuse it anyway, its HWM having moved). One signer = one key, so the digest of the
 * complete bytes (which contain chain, kind, level and round) is the whole cache key. Bounded, LRU.
 */
final class SignatureCache {
    private final Map<String, String> entries;

    SignatureCache(int capacity) {
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized Optional<String> get(String digestHex) {
        return Optional.ofNullable(entries.get(digestHex));
    }

    synchronized void put(String digestHex, String signature) {
        entries.put(digestHex, signature);
    }

    synchronized int size() {
        return entries.size();
    }
}
