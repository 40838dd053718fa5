package io.bakeguard.core.signer;

import java.util.Optional;

/**
 * The {@code version} query parameter of octez (spec/tezos-remote-signer.md s.1.6). Only BLS signs
 * differently: version 1 uses the augmented scheme, 2, 3 and absent the proof-of-possession scheme;
 * version 0 cannot sign with BLS.
 */
public enum SignatureVersion {
    V0,
    V1,
    V2,
    V3;

    /** The version used when the request does not say. */
    public static final SignatureVersion LATEST = V3;

    public static Optional<SignatureVersion> parse(String s) {
        return switch (s) {
            case "0" -> Optional.of(V0);
            case "1" -> Optional.of(V1);
            case "2" -> Optional.of(V2);
            case "3" -> Optional.of(V3);
            default -> Optional.empty();
        };
    }
}
