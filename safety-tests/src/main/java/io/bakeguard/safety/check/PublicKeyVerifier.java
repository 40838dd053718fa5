package io.bakeguard.safety.check;

import io.bakeguard.core.key.PublicKey;
import io.bakeguard.core.signer.SignatureVersion;
import java.util.Map;

/** Verifies with signer-core's {@link PublicKey#verify}, for the keys the run generated. */
public final class PublicKeyVerifier implements SignatureVerifier {
    private final Map<String, PublicKey> keys;

    /** @param keys public keys by public key hash */
    public PublicKeyVerifier(Map<String, PublicKey> keys) {
        this.keys = Map.copyOf(keys);
    }

    @Override
    public boolean verify(String keyHash, byte[] data, String signature) {
        PublicKey k = keys.get(keyHash);
        return k != null && k.verify(data, signature, SignatureVersion.LATEST);
    }
}
