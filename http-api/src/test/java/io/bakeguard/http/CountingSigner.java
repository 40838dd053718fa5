package io.bakeguard.http;

import io.bakeguard.core.key.Curve;
import io.bakeguard.core.signer.SignatureVersion;
import io.bakeguard.core.signer.Signer;
import io.bakeguard.core.signer.SigningException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts how often a key is touched, so tests can show that nothing was signed. */
final class CountingSigner implements Signer {
    private final Signer inner;
    private final AtomicInteger count;

    CountingSigner(Signer inner, AtomicInteger count) {
        this.inner = inner;
        this.count = count;
    }

    @Override
    public String publicKeyHash() {
        return inner.publicKeyHash();
    }

    @Override
    public String publicKey() {
        return inner.publicKey();
    }

    @Override
    public Curve curve() {
        return inner.curve();
    }

    @Override
    public String sign(byte[] data, SignatureVersion version) throws SigningException {
        count.incrementAndGet();
        return inner.sign(data, version);
    }

    @Override
    public Optional<String> provePossession(Optional<String> overridePublicKey) throws SigningException {
        return inner.provePossession(overridePublicKey);
    }
}
