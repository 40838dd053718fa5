package io.bakeguard.core.watermark;

import java.util.Optional;

/**
 * A watermark bucket kind, chosen by the request's magic byte exactly as octez does
 * (spec/tezos-remote-signer.md s.4.1): 0x01 and 0x11 share {@code block}; 0x02 is the legacy
 * {@code endorsement}; 0x12 is {@code preattestation}; 0x13 is {@code attestation} whatever its
 * operation tag (21, 23 and 41 share one bucket).
 */
public enum WatermarkKind {
    BLOCK("block"),
    ENDORSEMENT("endorsement"),
    PREATTESTATION("preattestation"),
    ATTESTATION("attestation");

    private final String octezName;

    WatermarkKind(String octezName) {
        this.octezName = octezName;
    }

    /** The name octez uses in messages and in {@code <name>_high_watermarks} file names. */
    public String octezName() {
        return octezName;
    }

    /** The bucket kind for a magic byte, or empty when the magic byte carries no watermark. */
    public static Optional<WatermarkKind> ofMagic(int magic) {
        return switch (magic & 0xff) {
            case 0x01, 0x11 -> Optional.of(BLOCK);
            case 0x02 -> Optional.of(ENDORSEMENT);
            case 0x12 -> Optional.of(PREATTESTATION);
            case 0x13 -> Optional.of(ATTESTATION);
            default -> Optional.empty();
        };
    }

    /** Parses an octez kind name ({@code block}, {@code attestation}, ...). */
    public static Optional<WatermarkKind> ofOctezName(String name) {
        for (WatermarkKind k : values()) {
            if (k.octezName.equals(name)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
