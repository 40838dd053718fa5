package io.bakeguard.safety.check;

/** Checks a signature returned to a baker against the key's public key, independently of the replicas. */
@FunctionalInterface
public interface SignatureVerifier {
    /** True only when {@code signature} is a valid signature of {@code data} by the key {@code keyHash}. */
    boolean verify(String keyHash, byte[] data, String signature);
}
