package io.bakeguard.core.request;

import io.bakeguard.core.crypto.Base58Check;
import io.bakeguard.core.crypto.Prefix;
import java.util.Optional;

/**
 * Decodes signing request bytes (spec/tezos-remote-signer.md s.2, s.3) into a {@link
 * SigningRequest}. The decoder is strict and fails closed: every consensus request is walked field
 * by field to its last byte, a 0x03 generic operation is decoded content by content so the kind of
 * every content is known, and anything unknown, truncated or followed by trailing bytes gives a
 * {@link DecodingException} naming the field and its offset. Lengths read from the input are
 * checked against what is left and never used to allocate.
 *
 * <p>Requests of magic 0x04 (authentication bytes) and 0x05 (Micheline) are returned as {@link
 * SigningRequest.Other} without interpretation; the key policy decides about them. A first byte that
 * is no known magic byte is refused.
 */
public final class RequestDecoder {
    /** spec s.3.2: fitness length without / with a locked round. */
    private static final int FITNESS_UNLOCKED = 33;

    private static final int FITNESS_LOCKED = 37;
    /** {@code Constants_repr.fitness_version_number}. */
    private static final int FITNESS_VERSION = 2;
    /** octez-signer refuses watermarked requests shorter than this (spec s.1.3). */
    private static final int LEGACY_MIN_LENGTH = 9;

    static final int TAG_PREATTESTATION = 20;
    static final int TAG_ATTESTATION = 21;
    static final int TAG_ATTESTATION_WITH_DAL = 23;
    static final int TAG_BLS_PREATTESTATION = 40;
    static final int TAG_BLS_ATTESTATION = 41;

    private RequestDecoder() {}

    /**
     * Decodes one request.
     *
     * @param bytes the complete request, magic byte included (not modified; the result keeps a copy)
     * @throws DecodingException when the bytes are empty, start with an unknown magic byte, or do not
     *     follow the layout of their magic byte
     */
    public static SigningRequest decode(byte[] bytes) throws DecodingException {
        if (bytes == null || bytes.length == 0) {
            throw new DecodingException("magic byte", 0, "empty request: there is nothing to sign");
        }
        int first = bytes[0] & 0xff;
        Optional<MagicByte> magic = MagicByte.of(first);
        if (magic.isEmpty()) {
            throw new DecodingException("magic byte", 0, String.format("unknown magic byte 0x%02x", first));
        }
        byte[] raw = bytes.clone();
        return switch (magic.get()) {
            case BLOCK -> decodeBlock(raw);
            case PREATTESTATION, ATTESTATION -> decodeConsensusOperation(magic.get(), raw);
            case LEGACY_BLOCK -> decodeLegacyBlock(raw);
            case LEGACY_ENDORSEMENT -> decodeLegacyEndorsement(raw);
            case GENERIC_OPERATION -> GenericOperationDecoder.decode(raw);
            case AUTHENTICATED_REQUEST, MICHELINE -> new SigningRequest.Other(magic.get(), raw);
        };
    }

    // spec s.3.2
    private static SigningRequest decodeBlock(byte[] raw) throws DecodingException {
        ByteReader r = new ByteReader(raw, 1);
        String chainId = chainId(r);
        int levelAt = r.position();
        int level = r.i32("level");
        nonNegative("level", levelAt, level);
        r.u8("proto");
        r.skip("predecessor", 32);
        r.skip("timestamp", 8);
        r.u8("validation_passes");
        r.skip("operations_hash", 32);

        int fitnessAt = r.position();
        int fitnessLength = r.i32("fitness length");
        if (fitnessLength != FITNESS_UNLOCKED && fitnessLength != FITNESS_LOCKED) {
            throw new DecodingException(
                    "fitness length",
                    fitnessAt,
                    "must be 33 (no locked round) or 37 (locked round), got "
                            + Integer.toUnsignedString(fitnessLength));
        }
        r.require("fitness", fitnessLength);

        int at = r.position();
        expectElementLength(r, "fitness version", 1);
        int version = r.u8("fitness version");
        if (version != FITNESS_VERSION) {
            throw new DecodingException("fitness version", at + 4, "must be 2 (Tenderbake), got " + version);
        }
        at = r.position();
        expectElementLength(r, "fitness level", 4);
        int fitnessLevel = r.i32("fitness level");
        if (fitnessLevel != level) {
            throw new DecodingException(
                    "fitness level", at + 4, "is " + fitnessLevel + " but the header's level is " + level);
        }
        at = r.position();
        expectElementLength(r, "fitness locked round", fitnessLength == FITNESS_LOCKED ? 4 : 0);
        if (fitnessLength == FITNESS_LOCKED) {
            nonNegative("fitness locked round", at + 4, r.i32("fitness locked round"));
        }
        at = r.position();
        expectElementLength(r, "fitness predecessor round", 4);
        int encodedPredecessorRound = r.i32("fitness predecessor round");
        if (encodedPredecessorRound >= 0) {
            throw new DecodingException(
                    "fitness predecessor round",
                    at + 4,
                    "must encode -(predecessor round) - 1, a negative number, got " + encodedPredecessorRound);
        }
        at = r.position();
        expectElementLength(r, "fitness round", 4);
        int round = r.i32("fitness round");
        nonNegative("fitness round", at + 4, round);

        r.skip("context", 32);
        r.skip("payload_hash", 32);
        at = r.position();
        nonNegative("payload_round", at, r.i32("payload_round"));
        r.skip("proof_of_work_nonce", 8);
        if (r.option("seed_nonce_hash")) {
            r.skip("seed_nonce_hash", 32);
        }
        r.u8("per_block_votes");
        expectEnd(r);
        return new SigningRequest.Consensus(MagicByte.BLOCK, raw, chainId, level, round, Optional.empty());
    }

    // spec s.3.3
    private static SigningRequest decodeConsensusOperation(MagicByte magic, byte[] raw) throws DecodingException {
        ByteReader r = new ByteReader(raw, 1);
        String chainId = chainId(r);
        r.skip("branch", 32);
        int tagAt = r.position();
        int tag = r.u8("operation tag");
        boolean preattestation = magic == MagicByte.PREATTESTATION;
        boolean allowed = preattestation
                ? tag == TAG_PREATTESTATION || tag == TAG_BLS_PREATTESTATION
                : tag == TAG_ATTESTATION || tag == TAG_ATTESTATION_WITH_DAL || tag == TAG_BLS_ATTESTATION;
        if (!allowed) {
            throw new DecodingException(
                    "operation tag",
                    tagAt,
                    String.format(
                            "tag %d is not %s (expected %s)",
                            tag,
                            preattestation ? "a preattestation" : "an attestation",
                            preattestation ? "20 or 40" : "21, 23 or 41"));
        }
        boolean withSlot = tag == TAG_PREATTESTATION || tag == TAG_ATTESTATION || tag == TAG_ATTESTATION_WITH_DAL;
        if (withSlot) {
            r.u16("slot");
        }
        int at = r.position();
        int level = r.i32("level");
        nonNegative("level", at, level);
        at = r.position();
        int round = r.i32("round");
        nonNegative("round", at, round);
        r.skip("block_payload_hash", 32);
        if (tag == TAG_ATTESTATION_WITH_DAL) {
            // octez lib_base/bitset.ml: Data_encoding.z of a non-negative bitset.
            r.skipZarithZ("dal_attestation", true);
        }
        expectEnd(r);
        return new SigningRequest.Consensus(magic, raw, chainId, level, round, Optional.of(tag));
    }

    // spec s.3.5: level = int32@5, no round.
    private static SigningRequest decodeLegacyBlock(byte[] raw) throws DecodingException {
        if (raw.length < LEGACY_MIN_LENGTH) {
            throw new DecodingException(
                    "legacy block", raw.length, "byte sequence too short to be a block (" + raw.length + " bytes)");
        }
        ByteReader r = new ByteReader(raw, 1);
        String chainId = chainId(r);
        int level = r.i32("level");
        nonNegative("level", 5, level);
        return new SigningRequest.Consensus(MagicByte.LEGACY_BLOCK, raw, chainId, level, 0, Optional.empty());
    }

    // spec s.3.5: level = the last 4 bytes, no round.
    private static SigningRequest decodeLegacyEndorsement(byte[] raw) throws DecodingException {
        if (raw.length < LEGACY_MIN_LENGTH) {
            throw new DecodingException(
                    "legacy endorsement",
                    raw.length,
                    "byte sequence too short to be an endorsement (" + raw.length + " bytes)");
        }
        String chainId = chainId(new ByteReader(raw, 1));
        ByteReader r = new ByteReader(raw, raw.length - 4);
        int level = r.i32("level");
        nonNegative("level", raw.length - 4, level);
        return new SigningRequest.Consensus(MagicByte.LEGACY_ENDORSEMENT, raw, chainId, level, 0, Optional.empty());
    }

    private static String chainId(ByteReader r) throws DecodingException {
        return Base58Check.encode(Prefix.CHAIN_ID, r.bytes("chain_id", 4));
    }

    private static void expectElementLength(ByteReader r, String field, int expected) throws DecodingException {
        int at = r.position();
        int len = r.i32(field + " length");
        if (len != expected) {
            throw new DecodingException(
                    field + " length", at, "must be " + expected + ", got " + Integer.toUnsignedString(len));
        }
    }

    private static void nonNegative(String field, int offset, int value) throws DecodingException {
        if (value < 0) {
            throw new DecodingException(field, offset, "must not be negative, got " + value);
        }
    }

    static void expectEnd(ByteReader r) throws DecodingException {
        if (!r.atEnd()) {
            throw new DecodingException("end of request", r.position(), r.remaining() + " unexpected trailing byte(s)");
        }
    }
}
