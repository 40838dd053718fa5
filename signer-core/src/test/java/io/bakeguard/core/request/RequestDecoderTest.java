package io.bakeguard.core.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hand-written cases for each refusal of the decoder: the field and offset are named. */
class RequestDecoderTest {
    /** forged_attestation_tag21 of signatures.json: level 10000000, round 1. */
    private static final String ATTESTATION_21 =
            "137a06a7708fcf233671b6a04fcf679d2a381c2544ea6c1ea29ba6157776ed8424c7ccd00b15"
                    + "000700989680000000013cf2d09da453bbdd6b68d8a1acd5f15ba23ba46d4ff087592b3d319432500a50";

    private static final String BLOCK_UNLOCKED =
            "117a06a77000989681187379a391465f2a5437c7d6bc120befb87b7c1513687c59afd7376a43a3cc420f"
                    + "000000006955b90004e18edbcc7918a0cb41832fc4a125767250ebd561f9d12579b8ce320a60dd6b2900000021000000010200000004"
                    + "009896810000000000000004fffffffe0000000400000000475db3f8b26207c1d3634ecdbd13a2e04f5a988cf04c9ff4f7cce253c5bb1049"
                    + "3cf2d09da453bbdd6b68d8a1acd5f15ba23ba46d4ff087592b3d319432500a500000000000000000deadbeef0002";

    private static final String TRANSACTION =
            "03a60703a9567bf69ec66b368c3d8562eba4cbf29278c2c10447a684e3aa1436856c00a0c7a9b0"
                    + "bcd6a48ee0c13094327f215ba2adeaa7d40dabc1af25e36fde02c096b10201f525eabd8b0eeace1494233ea0230d2c9ad6619b00ffff0b66"
                    + "756c66696c6c5f61736b0000000907070088f0f6010306";

    private static AbstractThrowableAssert<?, ? extends Throwable> refused(byte[] bytes) {
        return assertThatThrownBy(() -> RequestDecoder.decode(bytes)).isInstanceOf(DecodingException.class);
    }

    private static byte[] with(String hex, int offset, int value) {
        byte[] b = Vectors.hex(hex);
        b[offset] = (byte) value;
        return b;
    }

    private static byte[] append(String hex, String more) {
        return Vectors.hex(hex + more);
    }

    @Test
    void emptyRequestIsRefused() {
        refused(new byte[0]).hasMessageContaining("magic byte at offset 0").hasMessageContaining("empty");
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00, 0x06, 0x10, 0x14, 0x80, 0xff})
    void unknownMagicByteIsRefusedNamingIt(int magic) {
        refused(new byte[] {(byte) magic, 1, 2, 3})
                .hasMessage("magic byte at offset 0: unknown magic byte " + String.format("0x%02x", magic));
    }

    @Test
    void authenticationAndMichelineBytesAreReturnedUninterpreted() throws Exception {
        assertThat(RequestDecoder.decode(new byte[] {0x04, 0x01, 0x02}))
                .isInstanceOf(SigningRequest.Other.class)
                .extracting(SigningRequest::magic)
                .isEqualTo(MagicByte.AUTHENTICATED_REQUEST);
        assertThat(RequestDecoder.decode(new byte[] {0x05}).magic()).isEqualTo(MagicByte.MICHELINE);
    }

    @Test
    void decodedRequestKeepsACopyOfTheBytes() throws Exception {
        byte[] bytes = Vectors.hex(ATTESTATION_21);
        SigningRequest r = RequestDecoder.decode(bytes);
        bytes[50] ^= 1;
        assertThat(r.bytes()).isEqualTo(Vectors.hex(ATTESTATION_21));
    }

    @Test
    void blockWithATrailingByteIsRefused() {
        refused(append(BLOCK_UNLOCKED, "00")).hasMessage("end of request at offset 198: 1 unexpected trailing byte(s)");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 32, 34, 35, 36, 38, 255})
    void blockWhoseFitnessLengthIsNeither33Nor37IsRefused(int fitnessLength) {
        refused(with(BLOCK_UNLOCKED, 86, fitnessLength)).hasMessageContaining("fitness length at offset 83");
    }

    @Test
    void blockWithFitnessVersionOtherThan2IsRefused() {
        refused(with(BLOCK_UNLOCKED, 91, 1)).hasMessageContaining("fitness version at offset 91: must be 2");
    }

    @Test
    void blockWhoseFitnessLevelDiffersFromTheHeaderLevelIsRefused() {
        refused(with(BLOCK_UNLOCKED, 99, 0x80)).hasMessageContaining("fitness level at offset 96");
    }

    @Test
    void blockWithUnlockedFitnessLengthButALockedRoundElementIsRefused() {
        refused(with(BLOCK_UNLOCKED, 103, 4))
                .hasMessageContaining("fitness locked round length at offset 100: must be 0, got 4");
    }

    @Test
    void blockWithANonNegativePredecessorRoundElementIsRefused() {
        refused(with(BLOCK_UNLOCKED, 108, 0x00)).hasMessageContaining("fitness predecessor round at offset 108");
    }

    @Test
    void blockWithABadSeedNonceHashOptionTagIsRefused() {
        refused(with(BLOCK_UNLOCKED, 196, 0x01)).hasMessageContaining("seed_nonce_hash at offset 196");
    }

    @Test
    void blockRoundIsTheLastFitnessElement() throws Exception {
        SigningRequest.Consensus c = (SigningRequest.Consensus) RequestDecoder.decode(with(BLOCK_UNLOCKED, 119, 7));
        assertThat(c.level()).isEqualTo(10000001);
        assertThat(c.round()).isEqualTo(7);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 19, 22, 24, 30, 31, 42, 255})
    void attestationWithAnUnknownTagIsRefused(int tag) {
        refused(with(ATTESTATION_21, 37, tag)).hasMessageContaining("operation tag at offset 37: tag " + tag);
    }

    @Test
    void preattestationMagicWithAnAttestationTagIsRefused() {
        byte[] b = with(ATTESTATION_21, 0, 0x12);
        refused(b).hasMessageContaining("operation tag at offset 37: tag 21 is not a preattestation");
    }

    @Test
    void attestationMagicWithAPreattestationTagIsRefused() {
        refused(with(ATTESTATION_21, 37, 20)).hasMessageContaining("tag 20 is not an attestation");
    }

    @Test
    void attestationWithATrailingByteIsRefused() {
        refused(append(ATTESTATION_21, "00")).hasMessage("end of request at offset 80: 1 unexpected trailing byte(s)");
    }

    @Test
    void attestationWithANegativeRoundIsRefused() {
        refused(with(ATTESTATION_21, 44, 0xff)).hasMessageContaining("round at offset 44: must not be negative");
    }

    @Test
    void attestationWithDalBitsetIsDecodedByItsTag() throws Exception {
        byte[] b = with(ATTESTATION_21 + "a506", 37, 23);
        SigningRequest.Consensus c = (SigningRequest.Consensus) RequestDecoder.decode(b);
        assertThat(c.operationTag()).contains(23);
        assertThat(c.level()).isEqualTo(10000000);
        assertThat(c.round()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "80", "a5", "a586", "8000", "a58600", "41", "c101"})
    void attestationWithAMalformedDalBitsetIsRefused(String dal) {
        refused(with(ATTESTATION_21 + dal, 37, 23)).hasMessageContaining("dal_attestation at offset 80");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0500", "a50600"})
    void attestationWithBytesAfterTheDalBitsetIsRefused(String dal) {
        refused(with(ATTESTATION_21 + dal, 37, 23)).hasMessageContaining("unexpected trailing byte");
    }

    @Test
    void attestationWithoutSlotForTag41IsReadAtTheSlotlessOffsets() throws Exception {
        String hex = "137a06a7708fcf233671b6a04fcf679d2a381c2544ea6c1ea29ba6157776ed8424c7ccd00b29"
                + "00989680000000013cf2d09da453bbdd6b68d8a1acd5f15ba23ba46d4ff087592b3d319432500a50";
        SigningRequest.Consensus c = (SigningRequest.Consensus) RequestDecoder.decode(Vectors.hex(hex));
        assertThat(c.level()).isEqualTo(10000000);
        assertThat(c.round()).isEqualTo(1);
        // The same bytes read with tag 21 (slot expected) shift every field: refused, never misread.
        refused(with(hex, 37, 21)).hasMessageContaining("level at offset 40: must not be negative");
    }

    @Test
    void legacyBlockLevelIsReadAtOffset5WithRound0() throws Exception {
        SigningRequest.Consensus c =
                (SigningRequest.Consensus) RequestDecoder.decode(Vectors.hex("017a06a770000001f4deadbeef"));
        assertThat(c.magic()).isEqualTo(MagicByte.LEGACY_BLOCK);
        assertThat(c.chainId()).isEqualTo("NetXdQprcVkpaWU");
        assertThat(c.level()).isEqualTo(500);
        assertThat(c.round()).isZero();
    }

    @Test
    void legacyEndorsementLevelIsTheLastFourBytes() throws Exception {
        SigningRequest.Consensus c =
                (SigningRequest.Consensus) RequestDecoder.decode(Vectors.hex("027a06a770ffffffffffff00000065"));
        assertThat(c.magic()).isEqualTo(MagicByte.LEGACY_ENDORSEMENT);
        assertThat(c.level()).isEqualTo(101);
        assertThat(c.round()).isZero();
    }

    @Test
    void legacyRequestsShorterThan9BytesAreRefused() {
        refused(Vectors.hex("017a06a770000001")).hasMessageContaining("too short to be a block");
        refused(Vectors.hex("027a06a770000001")).hasMessageContaining("too short to be an endorsement");
    }

    @Test
    void genericOperationWithoutContentsIsRefused() {
        refused(Arrays.copyOf(Vectors.hex(TRANSACTION), 33))
                .hasMessage("contents at offset 33: a generic operation needs at least one content");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 10, 16, 18, 150, 157, 253, 255})
    void genericOperationWithAnUnknownContentTagIsRefused(int tag) {
        byte[] b = with(TRANSACTION, 33, tag);
        refused(b).hasMessageContaining("content tag at offset 33: unknown operation content tag " + tag);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 7, 24, 200, 204, 207, 230, 250, 252})
    void contentKindsWithoutALayoutInTheSpecAreRefusedAsUnsupported(int tag) {
        OperationKind kind = OperationKind.ofTag(tag).orElseThrow();
        refused(with(TRANSACTION, 33, tag))
                .hasMessage("content tag at offset 33: operation kind " + kind.policyName()
                        + " is not supported by the decoder");
    }

    @Test
    void transactionTruncatedInItsFeeNamesTheField() {
        refused(Arrays.copyOf(Vectors.hex(TRANSACTION), 56))
                .hasMessage("transaction fee at offset 55: truncated Zarith number: the request ends before its"
                        + " last byte");
    }

    @Test
    void transactionWithANonCanonicalZarithFeeIsRefused() {
        // fee "d40d" -> "d48d00": same value with a trailing zero byte.
        String hex = TRANSACTION.replace(
                "00a0c7a9b0bcd6a48ee0c13094327f215ba2adeaa7d40dab",
                "00a0c7a9b0bcd6a48ee0c13094327f215ba2adeaa7d48d00ab");
        refused(Vectors.hex(hex)).hasMessageContaining("transaction fee at offset 55: non-canonical");
    }

    @Test
    void transactionWithAnUnknownEntrypointTagIsRefused() {
        String hex = TRANSACTION.replace("ffff0b66756c", "ff0a0b66756c");
        refused(Vectors.hex(hex)).hasMessageContaining("transaction entrypoint").hasMessageContaining("tag 10");
    }

    @Test
    void batchMixingABallotWithAManagerOperationIsRefused() {
        Random rnd = new Random(6);
        byte[] b = RequestForger.generic(
                new byte[32],
                List.of(
                        RequestForger.genericContent(OperationKind.TRANSACTION, rnd),
                        RequestForger.genericContent(OperationKind.BALLOT, rnd)));
        refused(b).hasMessageContaining("may hold manager operations only, found ballot");
    }

    @Test
    void ballotWithAnUnknownVoteIsRefused() {
        byte[] content = RequestForger.genericContent(OperationKind.BALLOT, new Random(1));
        content[content.length - 1] = 3;
        refused(RequestForger.generic(new byte[32], List.of(content))).hasMessageContaining("ballot ballot");
    }

    @Test
    void revealWithAProofOfTheWrongLengthIsRefused() {
        RequestForger.Out o = new RequestForger.Out();
        o.u8(107).u8(0).raw(new byte[20]).u8(1).u8(1).u8(1).u8(1);
        o.u8(3).raw(new byte[48]).u8(0xff).sized(new byte[64]);
        refused(RequestForger.generic(new byte[32], List.of(o.bytes())))
                .hasMessageContaining("reveal proof")
                .hasMessageContaining("96-byte BLS signature, got 64");
    }

    @Test
    void increasePaidStorageToAnImplicitAccountIsRefused() {
        RequestForger.Out o = new RequestForger.Out();
        o.u8(113).u8(0).raw(new byte[20]).u8(1).u8(1).u8(1).u8(1);
        o.zarithZ(BigInteger.TEN).u8(0).u8(0).raw(new byte[20]);
        refused(RequestForger.generic(new byte[32], List.of(o.bytes())))
                .hasMessageContaining("increase_paid_storage destination")
                .hasMessageContaining("KT1");
    }

    @Test
    void lengthPrefixLargerThanTheRequestIsRefusedWithoutAllocating() {
        RequestForger.Out o = new RequestForger.Out();
        o.u8(17).i32(Integer.MAX_VALUE);
        refused(RequestForger.generic(new byte[32], List.of(o.bytes())))
                .hasMessage("failing_noop arbitrary length at offset 34: declares 2147483647 bytes but only 0 follow");
        RequestForger.Out neg = new RequestForger.Out();
        neg.u8(17).i32(-1);
        refused(RequestForger.generic(new byte[32], List.of(neg.bytes())))
                .hasMessageContaining("declares 4294967295 bytes");
    }

    @Test
    void consensusDecodingDoesNotDependOnTheKeyType() throws Exception {
        // spec s.3.3 trap: parse by tag, not by key; the same tag-21 bytes decode alike for any key.
        SigningRequest.Consensus c = (SigningRequest.Consensus) RequestDecoder.decode(Vectors.hex(ATTESTATION_21));
        assertThat(c.operationTag()).isEqualTo(Optional.of(21));
        assertThat(c.level()).isEqualTo(10000000);
    }
}
