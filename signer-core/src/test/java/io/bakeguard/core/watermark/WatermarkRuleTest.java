package io.bakeguard.core.watermark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One test per row of spec/tezos-remote-signer.md s.4.1's table, plus floors, first use and recording. */
class WatermarkRuleTest {
    private static final String KEY = "tz1KqTpEZ7Yob7QbPE4Hy4Wo8fHG8LhKxZSx";
    private static final String MAINNET = "NetXdQprcVkpaWU";
    private static final BucketKey ATTESTATIONS = new BucketKey(KEY, MAINNET, WatermarkKind.ATTESTATION);
    private static final BucketKey BLOCKS = new BucketKey(KEY, MAINNET, WatermarkKind.BLOCK);
    private static final String X = "11".repeat(32);
    private static final String Y = "22".repeat(32);
    private static final String SIG =
            "edsigu426diou6d64qJ3h21nmUASZzqNWHBNNMt1Y4PVGE2G2dMcoS2WTi8aSiFCWHhXR272DpRGh2ye8o8P1WZSBJaTzYSeMz8";
    private static final Optional<Watermark> AT_100_1_SIGNED =
            Optional.of(Watermark.unsigned(100, 1, X).withSignature(SIG));

    private static Decision apply(Optional<Watermark> current, int level, int round, String digest) {
        return WatermarkRule.apply(
                current, Optional.empty(), false, new Reservation(ATTESTATIONS, level, round, digest));
    }

    private static Decision withFloor(Floor floor, Optional<Watermark> current, int level, int round) {
        return WatermarkRule.apply(current, Optional.of(floor), false, new Reservation(BLOCKS, level, round, X));
    }

    @Test
    void requestBelowTheStoredLevelIsRefusedWhateverItsRound() {
        Decision d = apply(AT_100_1_SIGNED, 99, 5, X);
        assertThat(d)
                .isEqualTo(new Decision.Refused(
                        Decision.Reason.LEVEL_BELOW, "attestation level 99 below high watermark 100"));
        assertThat(d.allowsSigning()).isFalse();
    }

    @Test
    void requestAtTheStoredLevelWithALowerRoundIsRefused() {
        assertThat(apply(AT_100_1_SIGNED, 100, 0, X))
                .isEqualTo(new Decision.Refused(
                        Decision.Reason.NOT_ABOVE,
                        "attestation level 100 and round 0 not above high watermark (100,1)"));
    }

    @Test
    void identicalBytesAtTheStoredLevelAndRoundReturnTheStoredSignatureWithoutSigning() {
        Decision d = apply(AT_100_1_SIGNED, 100, 1, X);
        assertThat(d).isInstanceOf(Decision.Repeat.class);
        assertThat(((Decision.Repeat) d).storedSignature()).contains(SIG);
        assertThat(d.allowsSigning()).isFalse();
    }

    @Test
    void identicalBytesBeforeTheSignatureIsRecordedMaySignAgain() {
        Decision d = apply(Optional.of(Watermark.unsigned(100, 1, X)), 100, 1, X);
        assertThat(d).isInstanceOf(Decision.Repeat.class);
        assertThat(((Decision.Repeat) d).storedSignature()).isEmpty();
        assertThat(d.allowsSigning()).isTrue();
    }

    @Test
    void attestationAtSameLevelAndRoundWithOtherBytesIsRefused() {
        assertThat(apply(AT_100_1_SIGNED, 100, 1, Y))
                .isEqualTo(new Decision.Refused(
                        Decision.Reason.DIFFERENT_DATA,
                        "attestation level 100 and round 1 already signed with different data"));
        assertThat(apply(Optional.of(Watermark.unsigned(100, 1, X)), 100, 1, Y)).isInstanceOf(Decision.Refused.class);
    }

    @Test
    void higherLevelIsGrantedAndBecomesTheUnsignedMark() {
        assertThat(apply(AT_100_1_SIGNED, 101, 0, Y)).isEqualTo(new Decision.Granted(Watermark.unsigned(101, 0, Y)));
    }

    @Test
    void sameLevelWithAHigherRoundIsGranted() {
        assertThat(apply(AT_100_1_SIGNED, 100, 2, Y)).isEqualTo(new Decision.Granted(Watermark.unsigned(100, 2, Y)));
    }

    @Test
    void levelsCompareAsSignedInt32AsOctezDoes() {
        assertThat(apply(Optional.of(Watermark.unsigned(Integer.MAX_VALUE, 0, X)), Integer.MIN_VALUE, 0, Y))
                .isInstanceOf(Decision.Refused.class);
    }

    @Test
    void messagesNameTheBucketKind() {
        Decision d = WatermarkRule.apply(
                Optional.of(Watermark.unsigned(10, 0, X)),
                Optional.empty(),
                false,
                new Reservation(new BucketKey(KEY, MAINNET, WatermarkKind.PREATTESTATION), 9, 0, X));
        assertThat(((Decision.Refused) d).message()).isEqualTo("preattestation level 9 below high watermark 10");
    }

    @Test
    void floorWithoutRoundRefusesTheWholeFloorLevelAndBelow() {
        Floor floor = new Floor(500, Optional.empty());
        assertThat(withFloor(floor, Optional.empty(), 500, 7))
                .isEqualTo(new Decision.Refused(
                        Decision.Reason.BELOW_FLOOR, "block level 500 not above high watermark 500"));
        assertThat(withFloor(floor, Optional.empty(), 12, 0)).isInstanceOf(Decision.Refused.class);
        assertThat(withFloor(floor, Optional.empty(), 501, 0))
                .isEqualTo(new Decision.Granted(Watermark.unsigned(501, 0, X)));
    }

    @Test
    void floorWithRoundRefusesUpToThatRoundAndAllowsHigherRoundsAtItsLevel() {
        Floor floor = new Floor(500, Optional.of(2));
        assertThat(withFloor(floor, Optional.empty(), 500, 2))
                .isEqualTo(new Decision.Refused(
                        Decision.Reason.BELOW_FLOOR, "block level 500 and round 2 not above high watermark (500,2)"));
        assertThat(withFloor(floor, Optional.empty(), 499, 9)).isInstanceOf(Decision.Refused.class);
        assertThat(withFloor(floor, Optional.empty(), 500, 3)).isInstanceOf(Decision.Granted.class);
    }

    @Test
    void floorAboveAnExistingMarkStillRefusesRequestsBetweenThem() {
        Decision d = withFloor(new Floor(500, Optional.empty()), Optional.of(Watermark.unsigned(300, 0, Y)), 400, 0);
        assertThat(d).isInstanceOf(Decision.Refused.class);
        assertThat(((Decision.Refused) d).reason()).isEqualTo(Decision.Reason.BELOW_FLOOR);
    }

    @Test
    void floorLetsANewBucketBeUsedWithoutFirstUse() {
        assertThat(withFloor(new Floor(500, Optional.empty()), Optional.empty(), 600, 0)
                        .allowsSigning())
                .isTrue();
    }

    @Test
    void newBucketWithoutFloorIsRefusedWhenFirstUseIsNotAllowed() {
        Decision d = apply(Optional.empty(), 100, 0, X);
        assertThat(d).isInstanceOf(Decision.Refused.class);
        Decision.Refused r = (Decision.Refused) d;
        assertThat(r.reason()).isEqualTo(Decision.Reason.FIRST_USE_NOT_ALLOWED);
        assertThat(r.message()).contains(KEY).contains(MAINNET).contains("bakeguard watermarks raise");
    }

    @Test
    void newBucketWithoutFloorIsGrantedWhenFirstUseIsAllowed() {
        Decision d =
                WatermarkRule.apply(Optional.empty(), Optional.empty(), true, new Reservation(ATTESTATIONS, 100, 0, X));
        assertThat(d).isEqualTo(new Decision.Granted(Watermark.unsigned(100, 0, X)));
    }

    @Test
    void recordSignatureStoresItOnTheMarkItWasMadeFor() {
        assertThat(WatermarkRule.recordSignature(Optional.of(Watermark.unsigned(100, 1, X)), 100, 1, X, SIG))
                .contains(Watermark.unsigned(100, 1, X).withSignature(SIG));
    }

    @Test
    void recordSignatureDoesNotOverwriteANewerMark() {
        Optional<Watermark> newer = Optional.of(Watermark.unsigned(101, 0, Y));
        assertThat(WatermarkRule.recordSignature(newer, 100, 1, X, SIG)).isEmpty();
        // Same (level, round), other digest: not the mark this signature belongs to either.
        assertThat(WatermarkRule.recordSignature(Optional.of(Watermark.unsigned(100, 1, Y)), 100, 1, X, SIG))
                .isEmpty();
    }

    @Test
    void recordSignatureKeepsTheFirstRecordedSignature() {
        assertThat(WatermarkRule.recordSignature(AT_100_1_SIGNED, 100, 1, X, "edsigOther"))
                .isEmpty();
        assertThat(WatermarkRule.recordSignature(Optional.empty(), 100, 1, X, SIG))
                .isEmpty();
    }
}
