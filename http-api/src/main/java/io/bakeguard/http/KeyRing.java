package io.bakeguard.http;

import io.bakeguard.core.policy.KeyPolicy;
import io.bakeguard.core.signer.Signer;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The keys this replica signs with, by public key hash, each with its policy. */
public final class KeyRing implements AutoCloseable {

    /** One configured key. */
    public record ManagedKey(Signer signer, KeyPolicy policy) {}

    private final Map<String, ManagedKey> keys;

    public KeyRing(Collection<ManagedKey> keys) {
        Map<String, ManagedKey> m = new LinkedHashMap<>();
        for (ManagedKey k : keys) {
            if (m.putIfAbsent(k.signer().publicKeyHash(), k) != null) {
                throw new IllegalArgumentException("key " + k.signer().publicKeyHash() + " is configured twice");
            }
        }
        this.keys = Map.copyOf(m);
    }

    public Optional<ManagedKey> find(String pkh) {
        return Optional.ofNullable(keys.get(pkh));
    }

    public Collection<ManagedKey> all() {
        return keys.values();
    }

    @Override
    public void close() {
        keys.values().forEach(k -> k.signer().close());
    }
}
