package io.bakeguard.core.request;

import io.bakeguard.core.watermark.WatermarkKind;
import java.util.Optional;

/** The first byte of a signing request (spec/tezos-remote-signer.md s.2). */
public enum MagicByte {
    LEGACY_BLOCK(0x01),
    LEGACY_ENDORSEMENT(0x02),
    GENERIC_OPERATION(0x03),
    AUTHENTICATED_REQUEST(0x04),
    MICHELINE(0x05),
    BLOCK(0x11),
    PREATTESTATION(0x12),
    ATTESTATION(0x13);

    private final int value;

    MagicByte(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** The watermark bucket kind, empty for magic bytes that carry no watermark. */
    public Optional<WatermarkKind> watermarkKind() {
        return WatermarkKind.ofMagic(value);
    }

    public static Optional<MagicByte> of(int b) {
        for (MagicByte m : values()) {
            if (m.value == (b & 0xff)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
