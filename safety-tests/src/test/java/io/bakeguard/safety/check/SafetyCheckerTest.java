package io.bakeguard.safety.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.bakeguard.safety.history.FaultEvent;
import io.bakeguard.safety.history.FaultType;
import io.bakeguard.safety.history.Op;
import io.bakeguard.safety.history.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SafetyCheckerTest {

    /**
     * A correct cluster: n1 grants (100,0) to payload 1, n2's conflicting payload 2 is refused, an identical
     * retry of payload 1 on n3 is a repeat, then (100,1) and (101,0) are granted; an old request is refused.
     */
    private static HistoryFixture cleanHistory() {
        HistoryFixture h = new HistoryFixture();
        List<CommittedRecord> log = new ArrayList<>();
        Op a = h.signed("n1", 100, 0, 1, 1.0, 1.1);
        log.add(h.commit(a, "granted"));
        Op b = h.refused("n2", 100, 0, 2, 1.0, 1.2);
        log.add(h.commit(b, "refused"));
        Op c = h.signed("n3", 100, 0, 1, 1.05, 1.3);
        log.add(h.commit(c, "repeat"));
        Op d = h.signed("n2", 100, 1, 3, 2.0, 2.1);
        log.add(h.commit(d, "granted"));
        Op e = h.signed("n1", 101, 0, 4, 3.0, 3.1);
        log.add(h.commit(e, "granted"));
        Op f = h.refused("n3", 100, 0, 5, 3.5, 3.6);
        log.add(h.commit(f, "refused"));
        h.add("n1", 102, 0, HistoryFixture.attestation(102, 0, 6), 4.0, 5.0, new Outcome.NoQuorum("no quorum"));
        h.add("n2", 102, 0, HistoryFixture.attestation(102, 0, 7), 4.0, 6.0, new Outcome.TimedOut("paused"));
        h.replicate(log, "n1", "n2", "n3");
        return h;
    }

    @Test
    void cleanHistoryWithConflictsRetriesAndRefusalsPasses() {
        Verdict v = cleanHistory().check();

        assertThat(v.violations()).isEmpty();
        assertThat(v.safe()).isTrue();
        assertThat(v.signaturesVerified()).isEqualTo(4);
        assertThat(v.signaturesMatchedToLog()).isEqualTo(4);
        assertThat(v.slotsChecked()).isEqualTo(3);
        assertThat(v.logRecordsReplayed()).isEqualTo(6);
    }

    @Test
    void plantedDoubleSignatureIsReportedWithBothRequests() {
        HistoryFixture h = cleanHistory();
        // A broken cluster also granted payload 2 at (100,0) on n2 and signed it.
        Op evil = h.signed("n2", 100, 0, 2, 1.0, 1.2);
        List<CommittedRecord> log = new ArrayList<>(h.logs.get("n1"));
        log.add(h.commit(evil, "granted"));
        h.replicate(log, "n1", "n2", "n3");

        Verdict v = h.check();

        assertThat(v.safe()).isFalse();
        Violation d = v.violations().stream()
                .filter(x -> x.type() == Violation.Type.DOUBLE_SIGNATURE)
                .findFirst()
                .orElseThrow();
        assertThat(d.ops()).hasSize(2);
        assertThat(d.ops()).extracting(Op::digestHex).doesNotHaveDuplicates();
        assertThat(d.ops()).extracting(Op::level).containsOnly(100);
        assertThat(d.message()).contains("(100,0)");
        // The granted record (100,0) after (101,0) is also a regression of the commit order.
        assertThat(v.has(Violation.Type.LOG_REGRESSION)).isTrue();
    }

    @Test
    void failureReportNamesTheSeedTheRequestsAndTheActiveFaults() {
        HistoryFixture h = cleanHistory();
        h.signed("n2", 100, 0, 2, 1.0, 1.2);
        h.faults.add(new FaultEvent(
                7,
                FaultType.KILL_LEADER,
                List.of("n1"),
                900_000,
                1_500_000,
                Optional.of("n1"),
                true,
                Set.of(),
                "",
                -1));

        String report = h.check().render(4242, h.faults, 10);

        assertThat(report).startsWith("UNSAFE (seed 4242)");
        assertThat(report).contains("DOUBLE_SIGNATURE").contains("L100 R0").contains("during fault 7 KILL_LEADER");
    }

    @Test
    void signatureThatDoesNotVerifyAgainstTheKeyIsReported() {
        HistoryFixture h = new HistoryFixture();
        byte[] req = HistoryFixture.attestation(100, 0, 1);
        Op forged = h.add("n1", 100, 0, req, 1.0, 1.1, new Outcome.Signed(HistoryFixture.sign(h.otherSigner, req)));
        h.replicate(List.of(h.commit(forged, "granted")), "n1");

        Verdict v = h.check();

        assertThat(v.violations()).extracting(Violation::type).containsExactly(Violation.Type.INVALID_SIGNATURE);
        assertThat(v.violations().get(0).ops()).containsExactly(forged);
    }

    @Test
    void lowerSignatureForARequestSentAfterAHigherOneReturnedIsARealTimeRegression() {
        HistoryFixture h = new HistoryFixture();
        Op high = h.signed("n1", 101, 0, 1, 1.0, 1.1);
        Op low = h.signed("n2", 100, 2, 2, 2.0, 2.1);
        // The log commits (100,2) before (101,0), so the commit order alone looks fine: only the real-time
        // order shows that n2 answered from a stale view (a read that was not linearizable).
        CommittedRecord lowFirst = h.commit(low, "granted");
        CommittedRecord highSecond = h.commit(high, "granted");
        h.replicate(List.of(lowFirst, highSecond), "n1", "n2");

        Verdict v = h.check();

        assertThat(v.violations()).extracting(Violation::type).containsExactly(Violation.Type.REALTIME_REGRESSION);
        assertThat(v.violations().get(0).ops()).containsExactly(high, low);
    }

    @Test
    void overlappingRequestsAreNotOrderedByRealTime() {
        HistoryFixture h = new HistoryFixture();
        Op high = h.signed("n1", 101, 0, 1, 1.0, 2.0);
        Op low = h.signed("n2", 100, 0, 2, 1.5, 2.5); // sent before `high` returned: either order is linearizable
        h.replicate(List.of(h.commit(low, "granted"), h.commit(high, "granted")), "n1", "n2");

        assertThat(h.check().violations()).isEmpty();
    }

    @Test
    void grantedRecordNotAboveTheBucketIsALogRegression() {
        HistoryFixture h = new HistoryFixture();
        Op a = h.signed("n1", 101, 0, 1, 1.0, 1.1);
        Op b = h.refused("n2", 101, 0, 2, 1.0, 1.1); // the baker never saw a signature for it
        CommittedRecord first = h.commit(a, "granted");
        CommittedRecord wrong = h.commit(b, "granted");
        h.replicate(List.of(first, wrong), "n1", "n2");

        Verdict v = h.check();

        assertThat(v.violations()).extracting(Violation::type).containsExactly(Violation.Type.LOG_REGRESSION);
        assertThat(v.violations().get(0).records()).containsExactly(wrong);
    }

    @Test
    void repeatWithAnotherDigestIsALogRegression() {
        HistoryFixture h = new HistoryFixture();
        Op a = h.signed("n1", 100, 0, 1, 1.0, 1.1);
        Op b = h.refused("n2", 100, 0, 2, 1.0, 1.1);
        h.replicate(List.of(h.commit(a, "granted"), h.commit(b, "repeat")), "n1");

        assertThat(h.check().violations()).extracting(Violation::type).containsExactly(Violation.Type.LOG_REGRESSION);
    }

    @Test
    void replicasHoldingDifferentRecordsAtOneIndexDiverge() {
        HistoryFixture h = new HistoryFixture();
        Op a = h.refused("n1", 100, 0, 1, 1.0, 1.1);
        CommittedRecord r = h.commit(a, "refused");
        CommittedRecord other = new CommittedRecord(
                r.index(),
                r.term(),
                r.timeMillis(),
                "n2",
                r.entry(),
                r.keyHash(),
                r.chainId(),
                r.kind(),
                100,
                0,
                r.digestHex(),
                "refused",
                "",
                r.previousHash(),
                "f".repeat(64));
        h.logs.put("n1", List.of(r));
        h.logs.put("n2", List.of(other));

        Verdict v = h.check();

        assertThat(v.violations()).extracting(Violation::type).containsExactly(Violation.Type.LOG_DIVERGENCE);
        assertThat(v.violations().get(0).message()).contains("index " + r.index());
    }

    @Test
    void brokenHashChainInOneReplicaIsDivergence() {
        HistoryFixture h = new HistoryFixture();
        CommittedRecord r1 = h.commit(h.refused("n1", 100, 0, 1, 1.0, 1.1), "refused");
        CommittedRecord r2 = h.commit(h.refused("n1", 100, 0, 2, 1.2, 1.3), "refused");
        CommittedRecord tampered = new CommittedRecord(
                r2.index(),
                r2.term(),
                r2.timeMillis(),
                r2.proposer(),
                r2.entry(),
                r2.keyHash(),
                r2.chainId(),
                r2.kind(),
                r2.level(),
                r2.round(),
                r2.digestHex(),
                r2.decision(),
                r2.reason(),
                "e".repeat(64),
                r2.hash());
        h.logs.put("n1", List.of(r1, tampered));

        assertThat(h.check().violations()).extracting(Violation::type).contains(Violation.Type.LOG_DIVERGENCE);
    }

    @Test
    void signatureFromAReplicaCutOffFromTheMajorityWithoutACommittedReservationIsAMinorityGrant() {
        HistoryFixture h = cleanHistory();
        h.faults.add(new FaultEvent(
                3,
                FaultType.ISOLATE_ONE,
                List.of("n3"),
                9_000_000,
                14_000_000,
                Optional.of("n3"),
                true,
                Set.of("n3"),
                "STALL",
                -1));
        Op minority = h.signed("n3", 110, 0, 9, 10.0, 10.2); // nothing in the log

        Verdict v = h.check();

        assertThat(v.violations()).extracting(Violation::type).containsExactly(Violation.Type.MINORITY_GRANT);
        assertThat(v.violations().get(0).ops()).containsExactly(minority);
        assertThat(v.violations().get(0).message()).contains("fault 3");
    }

    @Test
    void signatureWithoutACommittedReservationOutsideAnyPartitionIsUncommitted() {
        HistoryFixture h = cleanHistory();
        h.signed("n1", 110, 0, 9, 10.0, 10.2);

        assertThat(h.check().violations())
                .extracting(Violation::type)
                .containsExactly(Violation.Type.UNCOMMITTED_SIGNATURE);
    }

    @Test
    void signatureBackedOnlyByAnotherReplicasReservationIsUncommitted() {
        HistoryFixture h = new HistoryFixture();
        Op a = h.signed("n1", 100, 0, 1, 1.0, 1.1);
        Op b = h.signed("n2", 100, 0, 1, 1.0, 1.1); // same bytes; n2 never proposed anything
        h.replicate(List.of(h.commit(a, "granted")), "n1", "n2");

        Verdict strict = h.check();
        Verdict loose = new SafetyChecker(h.verifier(), new SafetyChecker.Options(false, 1_000, 50)).check(h.input());

        assertThat(strict.violations())
                .extracting(Violation::type)
                .containsExactly(Violation.Type.UNCOMMITTED_SIGNATURE);
        assertThat(strict.violations().get(0).ops()).containsExactly(b);
        assertThat(loose.violations()).isEmpty();
    }

    @Test
    void reservationCommittedLongBeforeTheRequestDoesNotBackIt() {
        HistoryFixture h = new HistoryFixture();
        Op a = h.signed("n1", 100, 0, 1, 100.0, 100.1);
        CommittedRecord stale = h.commit("n1", 100, 0, a.digestHex(), "granted", a.startWallMillis() - 60_000);
        h.replicate(List.of(stale), "n1");

        assertThat(h.check().violations())
                .extracting(Violation::type)
                .containsExactly(Violation.Type.UNCOMMITTED_SIGNATURE);
    }

    @Test
    void watermarkLowerAfterAFullRestartIsLost() {
        HistoryFixture h = cleanHistory();
        Bucket b = new Bucket(h.pkh(), HistoryFixture.CHAIN, "attestation");
        h.checkpoints.add(new WatermarkCheckpoint(
                5,
                3_200_000,
                Map.of(b, new LevelRound(101, 0)),
                Map.of("n1", Map.of(b, new LevelRound(101, 0)), "n2", Map.of(b, new LevelRound(100, 1))),
                List.of()));

        Verdict v = h.check();

        assertThat(v.violations()).isNotEmpty();
        assertThat(v.violations()).extracting(Violation::type).containsOnly(Violation.Type.WATERMARK_LOST);
        assertThat(v.violations().get(0).message())
                .contains("n2")
                .contains("(100,1)")
                .contains("(101,0)");
    }

    @Test
    void signatureReturnedBeforeTheKillMustSurviveEvenIfNoReplicaReportedItBefore() {
        HistoryFixture h = cleanHistory();
        Bucket b = new Bucket(h.pkh(), HistoryFixture.CHAIN, "attestation");
        // The snapshot before the kill was taken early (100,1); the (101,0) signature ended before the kill.
        h.checkpoints.add(new WatermarkCheckpoint(
                5,
                3_200_000,
                Map.of(b, new LevelRound(100, 1)),
                Map.of("n1", Map.of(b, new LevelRound(100, 1))),
                List.of()));

        Verdict v = h.check();

        assertThat(v.violations()).extracting(Violation::type).containsExactly(Violation.Type.WATERMARK_LOST);
        assertThat(v.violations().get(0).ops()).extracting(Op::level).containsExactly(101);
    }

    @Test
    void watermarksAtOrAboveTheirPreviousValuesAfterAFullRestartPass() {
        HistoryFixture h = cleanHistory();
        Bucket b = new Bucket(h.pkh(), HistoryFixture.CHAIN, "attestation");
        h.checkpoints.add(new WatermarkCheckpoint(
                5,
                3_200_000,
                Map.of(b, new LevelRound(101, 0)),
                Map.of("n1", Map.of(b, new LevelRound(101, 0)), "n2", Map.of(b, new LevelRound(101, 0))),
                List.of("n3")));

        Verdict v = h.check();

        assertThat(v.violations()).isEmpty();
        assertThat(v.notes()).anyMatch(n -> n.contains("n3"));
    }

    @Test
    void digestThatDoesNotMatchTheRequestBytesIsAMalformedHistory() {
        HistoryFixture h = new HistoryFixture();
        Op a = h.signed("n1", 100, 0, 1, 1.0, 1.1);
        h.ops.set(
                0,
                new Op(
                        a.id(),
                        a.baker(),
                        a.replica(),
                        a.keyHash(),
                        a.chainId(),
                        a.kind(),
                        a.level(),
                        a.round(),
                        "00".repeat(32),
                        a.requestHex(),
                        a.startMicros(),
                        a.endMicros(),
                        a.startWallMillis(),
                        a.endWallMillis(),
                        a.outcome()));

        assertThat(h.check().violations()).extracting(Violation::type).contains(Violation.Type.MALFORMED_HISTORY);
    }
}
