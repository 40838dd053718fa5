package io.bakeguard.core.watermark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random sequences of reservations over a few buckets, with late signature recordings and
 * floors raised on the way, checked against the safety properties of design.md s.1.
 */
class WatermarkRulePropertyTest {
    private static final int STEPS = 20_000;
    private static final String[] KEYS = {"tz1KqTpEZ7Yob7QbPE4Hy4Wo8fHG8LhKxZSx", "tz4EECtMxAuJ9UDLaiMZH7G1GCFYUWsj8HZn"
    };
    private static final String[] CHAINS = {"NetXdQprcVkpaWU", "NetXnHfVqm9iesp"};
    private static final WatermarkKind[] KINDS = {
        WatermarkKind.BLOCK, WatermarkKind.PREATTESTATION, WatermarkKind.ATTESTATION
    };
    private static final String[] DIGESTS = {"aa".repeat(32), "bb".repeat(32), "cc".repeat(32)};

    record LevelRound(int level, int round) {}

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 0xC0FFEE, 20261121})
    void randomReservationsNeverGrantTwoDigestsAtOneLevelAndRoundAndNeverGoDown(long seed) {
        Random rnd = new Random(seed);
        Map<BucketKey, Watermark> store = new HashMap<>();
        Map<KeyChain, Floor> floors = new HashMap<>();
        Map<BucketKey, List<LevelRound>> granted = new HashMap<>();
        Map<BucketKey, Map<LevelRound, String>> signedDigest = new HashMap<>();
        List<Reservation> grantedLog = new ArrayList<>();
        int grants = 0;
        int repeats = 0;
        int refusals = 0;
        int level = 10;

        for (int step = 0; step < STEPS; step++) {
            BucketKey bucket = new BucketKey(
                    KEYS[rnd.nextInt(KEYS.length)],
                    CHAINS[rnd.nextInt(CHAINS.length)],
                    KINDS[rnd.nextInt(KINDS.length)]);
            if (rnd.nextInt(50) == 0) {
                level++; // the chain moves on; requests stay near the head, some old, some ahead
            }
            int choice = rnd.nextInt(100);
            if (choice < 2) {
                // an operator raises a floor; floors only move up
                KeyChain kc = bucket.keyChain();
                Floor f = new Floor(
                        level - rnd.nextInt(5), rnd.nextBoolean() ? Optional.of(rnd.nextInt(3)) : Optional.empty());
                Floor old = floors.get(kc);
                if (old == null || f.above(old)) {
                    floors.put(kc, f);
                }
                continue;
            }
            if (choice < 12 && !grantedLog.isEmpty()) {
                // a signature recorded late, possibly after newer grants
                Reservation r = grantedLog.get(rnd.nextInt(grantedLog.size()));
                Optional<Watermark> before = Optional.ofNullable(store.get(r.bucket()));
                Optional<Watermark> after = WatermarkRule.recordSignature(
                        before,
                        r.level(),
                        r.round(),
                        r.digestHex(),
                        "sig-" + r.digestHex().charAt(0) + r.level());
                if (after.isPresent()) {
                    Watermark b = before.orElseThrow();
                    assertThat(b.signature()).isEmpty();
                    assertThat(after.get())
                            .isEqualTo(Watermark.unsigned(b.level(), b.round(), b.digestHex())
                                    .withSignature(after.get().signature().orElseThrow()));
                    assertThat(b.level()).isEqualTo(r.level());
                    assertThat(b.round()).isEqualTo(r.round());
                    store.put(r.bucket(), after.get());
                }
                continue;
            }
            int l = Math.max(0, level + rnd.nextInt(5) - 3);
            int round = rnd.nextInt(4);
            String digest = DIGESTS[rnd.nextInt(DIGESTS.length)];
            Reservation r = new Reservation(bucket, l, round, digest);
            Optional<Watermark> before = Optional.ofNullable(store.get(bucket));
            Optional<Floor> floor = Optional.ofNullable(floors.get(bucket.keyChain()));
            boolean firstUse = bucket.keyHash().equals(KEYS[0]);
            Decision d = WatermarkRule.apply(before, floor, firstUse, r);

            if (d instanceof Decision.Granted g) {
                grants++;
                assertThat(g.mark()).isEqualTo(Watermark.unsigned(l, round, digest));
                before.ifPresent(b -> assertThat(Watermark.above(l, round, b.level(), b.round()))
                        .as("grant strictly above the bucket")
                        .isTrue());
                floor.ifPresent(f -> assertThat(f.covers(l, round))
                        .as("grant above the floor")
                        .isFalse());
                if (before.isEmpty() && floor.isEmpty()) {
                    assertThat(firstUse).isTrue();
                }
                List<LevelRound> seq = granted.computeIfAbsent(bucket, k -> new ArrayList<>());
                if (!seq.isEmpty()) {
                    LevelRound last = seq.get(seq.size() - 1);
                    assertThat(Watermark.above(l, round, last.level(), last.round()))
                            .as("granted (level, round) strictly increasing per bucket")
                            .isTrue();
                }
                seq.add(new LevelRound(l, round));
                String previous = signedDigest
                        .computeIfAbsent(bucket, k -> new HashMap<>())
                        .putIfAbsent(new LevelRound(l, round), digest);
                assertThat(previous)
                        .as("no second digest at one (level, round)")
                        .isNull();
                store.put(bucket, g.mark());
                grantedLog.add(r);
            } else if (d instanceof Decision.Repeat rep) {
                repeats++;
                Watermark b = before.orElseThrow();
                assertThat(rep.mark()).isEqualTo(b);
                assertThat(b.digestHex()).isEqualTo(digest);
                assertThat(b.level()).isEqualTo(l);
                assertThat(b.round()).isEqualTo(round);
                assertThat(signedDigest.get(bucket).get(new LevelRound(l, round)))
                        .isEqualTo(digest);
                assertThat(d.allowsSigning()).isEqualTo(b.signature().isEmpty());
            } else {
                refusals++;
                assertThat(d.allowsSigning()).isFalse();
                String known = signedDigest.getOrDefault(bucket, Map.of()).get(new LevelRound(l, round));
                if (known != null && !known.equals(digest)) {
                    assertThat(((Decision.Refused) d).reason())
                            .isIn(
                                    Decision.Reason.DIFFERENT_DATA,
                                    Decision.Reason.NOT_ABOVE,
                                    Decision.Reason.LEVEL_BELOW,
                                    Decision.Reason.BELOW_FLOOR);
                }
            }
            Watermark after = store.get(bucket);
            if (before.isPresent()) {
                Watermark b = before.get();
                assertThat(after.level() > b.level() || after.level() == b.level() && after.round() >= b.round())
                        .as("the watermark never decreases")
                        .isTrue();
            }
        }
        // The generator reaches every outcome.
        assertThat(grants).isGreaterThan(100);
        assertThat(repeats).isGreaterThan(10);
        assertThat(refusals).isGreaterThan(100);
    }
}
