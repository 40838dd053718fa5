package io.bakeguard.core.request;

import io.bakeguard.core.watermark.WatermarkKind;
import java.util.List;
import java.util.Optional;

/**
 * A decoded signing request. The raw bytes are kept: they are exactly what is signed and what the
 * watermark digest is taken over.
 */
public sealed interface SigningRequest
        permits SigningRequest.Consensus, SigningRequest.GenericOperation, SigningRequest.Other {

    /** The complete request bytes, magic byte included (a defensive copy). */
    byte[] bytes();

    MagicByte magic();

    /**
     * A block, preattestation or attestation (0x11, 0x12, 0x13, legacy 0x01, 0x02).
     *
     * @param chainId base58 chain id
     * @param level decoded level
     * @param round decoded round (0 when the request carries none)
     * @param operationTag the consensus content tag (20, 21, 23, 40, 41), empty for blocks and legacy
     */
    record Consensus(MagicByte magic, byte[] raw, String chainId, int level, int round, Optional<Integer> operationTag)
            implements SigningRequest {
        public WatermarkKind kind() {
            return magic.watermarkKind().orElseThrow();
        }

        @Override
        public byte[] bytes() {
            return raw.clone();
        }
    }

    /**
     * A 0x03 generic operation: a branch and one or more contents, each of a known kind.
     *
     * @param branch base58 block hash ({@code B...})
     * @param operations the kind of every content, in order
     */
    record GenericOperation(byte[] raw, String branch, List<OperationKind> operations) implements SigningRequest {
        @Override
        public MagicByte magic() {
            return MagicByte.GENERIC_OPERATION;
        }

        @Override
        public byte[] bytes() {
            return raw.clone();
        }
    }

    /** 0x04, 0x05 and any other request with no structure the signer needs to read. */
    record Other(MagicByte magic, byte[] raw) implements SigningRequest {
        @Override
        public byte[] bytes() {
            return raw.clone();
        }
    }
}
