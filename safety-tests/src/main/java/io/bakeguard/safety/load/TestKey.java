package io.bakeguard.safety.load;

import io.bakeguard.core.key.Curve;
import io.bakeguard.core.key.PublicKey;
import io.bakeguard.core.key.SecretKey;
import java.security.SecureRandom;

/**
 * A software key generated for one run. The secret text goes only into the replicas' key files; the public key
 * stays with the checker, which verifies every returned signature independently of the replicas.
 */
public final class TestKey {
    private final SecretKey secret;

    private TestKey(SecretKey secret) {
        this.secret = secret;
    }

    public static TestKey generate(Curve curve, SecureRandom rnd) {
        return new TestKey(SecretKey.generate(curve, rnd));
    }

    public String keyHash() {
        return secret.publicKey().hash();
    }

    public PublicKey publicKey() {
        return secret.publicKey();
    }

    /** The content of a {@code secret-key-file}: {@code unencrypted:<sk>}. Never logged. */
    public String secretKeyFileContent() {
        return "unencrypted:" + secret.toBase58() + "\n";
    }

    @Override
    public String toString() {
        return keyHash();
    }
}
