package io.bakeguard.safety.check;

import io.bakeguard.core.crypto.Blake2b;
import io.bakeguard.safety.history.FaultEvent;
import io.bakeguard.safety.history.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks a history against the product's promise (design.md s.1): no key signs two different payloads for the
 * same (key, chain, kind, level, round), whatever fails. Pure: no I/O, no clock, no network.
 *
 * <p>Properties, each reported as a {@link Violation.Type}:
 *
 * <ol>
 *   <li>every signature returned to a baker verifies against the key's public key;
 *   <li>at most one digest is signed per (key, chain, kind, level, round);
 *   <li>real-time order: if a signature at (L1, R1) was returned before a request at (L2, R2) for the same
 *       bucket was sent and that request was signed too, then (L2, R2) is at least (L1, R1). Because the first
 *       reservation committed before the second was proposed, a linearizable watermark must order them so;
 *   <li>commit order: replaying the merged watermark log (records ordered by index) through an independent
 *       model, each granted record is strictly above the bucket and each repeat equals it (level, round and
 *       digest); replicas agree on the record (hash) at every index they share and their hash chains link;
 *   <li>every signature corresponds to a committed granted or repeat record with the same key, chain, kind,
 *       level, round and digest, proposed by the replica that returned it while the request was in flight. A
 *       replica cut off from the majority can commit nothing, so a signature from it without such a record is
 *       named {@link Violation.Type#MINORITY_GRANT};
 *   <li>after a kill -9 of every replica, no replica that caught up reports a watermark lower than the highest
 *       reported before the kill, nor lower than any signature returned before the kill.
 * </ol>
 */
public final class SafetyChecker {

    /**
     * @param requireOwnReservation match a signature only to a record proposed by the replica that returned it
     *     and timed within the request; when false any committed grant of the same digest is accepted
     * @param clockSlackMillis tolerance when comparing the proposer's record time with the request's wall-clock
     *     interval (same machine, so only scheduling jitter)
     * @param maxPerType violations kept per type (the first ones in history order; counting continues in notes)
     */
    public record Options(boolean requireOwnReservation, long clockSlackMillis, int maxPerType) {
        public static Options defaults() {
            return new Options(true, 1_000, 50);
        }
    }

    private static final Set<String> WATERMARKED_KINDS =
            Set.of("block", "endorsement", "preattestation", "attestation");

    private final SignatureVerifier verifier;
    private final Options options;

    public SafetyChecker(SignatureVerifier verifier, Options options) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.options = Objects.requireNonNull(options, "options");
    }

    public SafetyChecker(SignatureVerifier verifier) {
        this(verifier, Options.defaults());
    }

    public Verdict check(CheckInput in) {
        Collector out = new Collector(options.maxPerType());
        List<Op> signed = in.ops().stream()
                .filter(Op::signed)
                .sorted(Comparator.comparingLong(Op::id))
                .toList();
        long verified = checkSignatures(signed, out);
        long slots = checkDoubleSignatures(signed, out);
        checkRealTimeOrder(signed, out);
        TreeMap<Long, CommittedRecord> merged = mergeLogs(in.logs(), out);
        long replayed = replayLog(merged, out);
        long matched = checkSignaturesCommitted(signed, merged, in.faults(), out);
        checkCheckpoints(signed, in.checkpoints(), out);
        return new Verdict(out.violations, out.notes(), verified, slots, replayed, matched);
    }

    private long checkSignatures(List<Op> signed, Collector out) {
        long n = 0;
        for (Op op : signed) {
            byte[] data = op.requestBytes();
            String digest = Blake2b.hash256Hex(data);
            if (!digest.equalsIgnoreCase(op.digestHex())) {
                out.add(new Violation(
                        Violation.Type.MALFORMED_HISTORY,
                        "recorded digest " + op.digestHex() + " is not blake2b-256 of the request (" + digest + ")",
                        List.of(op),
                        List.of()));
                continue;
            }
            n++;
            if (!verifier.verify(op.keyHash(), data, op.signature())) {
                out.add(new Violation(
                        Violation.Type.INVALID_SIGNATURE,
                        "signature returned by " + op.replica() + " does not verify against " + op.keyHash(),
                        List.of(op),
                        List.of()));
            }
        }
        return n;
    }

    private record Slot(Bucket bucket, LevelRound position) {}

    private long checkDoubleSignatures(List<Op> signed, Collector out) {
        Map<Slot, Map<String, Op>> bySlot = new LinkedHashMap<>();
        for (Op op : signed) {
            bySlot.computeIfAbsent(
                            new Slot(op.bucket(), new LevelRound(op.level(), op.round())), k -> new LinkedHashMap<>())
                    .putIfAbsent(op.digestHex().toLowerCase(), op);
        }
        for (Map.Entry<Slot, Map<String, Op>> e : bySlot.entrySet()) {
            if (e.getValue().size() > 1) {
                List<Op> firstTwo = e.getValue().values().stream().limit(2).toList();
                out.add(new Violation(
                        Violation.Type.DOUBLE_SIGNATURE,
                        e.getValue().size() + " different digests signed for "
                                + e.getKey().bucket() + " at " + e.getKey().position(),
                        firstTwo,
                        List.of()));
            }
        }
        return bySlot.size();
    }

    private void checkRealTimeOrder(List<Op> signed, Collector out) {
        Map<Bucket, List<Op>> byBucket = new HashMap<>();
        for (Op op : signed) {
            byBucket.computeIfAbsent(op.bucket(), k -> new ArrayList<>()).add(op);
        }
        for (List<Op> ops : byBucket.values()) {
            List<Op> byEnd =
                    ops.stream().sorted(Comparator.comparingLong(Op::endMicros)).toList();
            List<Op> byStart = ops.stream()
                    .sorted(Comparator.comparingLong(Op::startMicros))
                    .toList();
            int next = 0;
            Op highestDone = null;
            for (Op b : byStart) {
                while (next < byEnd.size() && byEnd.get(next).endMicros() < b.startMicros()) {
                    Op a = byEnd.get(next++);
                    if (highestDone == null || position(a).above(position(highestDone))) {
                        highestDone = a;
                    }
                }
                if (highestDone != null && position(b).below(position(highestDone))) {
                    out.add(new Violation(
                            Violation.Type.REALTIME_REGRESSION,
                            b.bucket() + " signed " + position(b) + " for a request sent after " + position(highestDone)
                                    + " had been returned",
                            List.of(highestDone, b),
                            List.of()));
                }
            }
        }
    }

    private static LevelRound position(Op op) {
        return new LevelRound(op.level(), op.round());
    }

    private TreeMap<Long, CommittedRecord> mergeLogs(Map<String, List<CommittedRecord>> logs, Collector out) {
        TreeMap<Long, CommittedRecord> merged = new TreeMap<>();
        Map<Long, String> holder = new HashMap<>();
        for (String replica : new java.util.TreeSet<>(logs.keySet())) {
            CommittedRecord previous = null;
            List<CommittedRecord> records = logs.get(replica).stream()
                    .sorted(Comparator.comparingLong(CommittedRecord::index))
                    .toList();
            for (CommittedRecord r : records) {
                if (previous != null && !r.previousHash().equalsIgnoreCase(previous.hash())) {
                    out.add(new Violation(
                            Violation.Type.LOG_DIVERGENCE,
                            "hash chain of " + replica + " is broken between index " + previous.index() + " and "
                                    + r.index(),
                            List.of(),
                            List.of(previous, r)));
                }
                previous = r;
                CommittedRecord other = merged.putIfAbsent(r.index(), r);
                if (other == null) {
                    holder.put(r.index(), replica);
                } else if (!other.hash().equalsIgnoreCase(r.hash())) {
                    out.add(new Violation(
                            Violation.Type.LOG_DIVERGENCE,
                            replica + " and " + holder.get(r.index()) + " hold different records at index " + r.index(),
                            List.of(),
                            List.of(other, r)));
                }
            }
        }
        return merged;
    }

    private record Mark(LevelRound position, String digestHex) {}

    /** Replays the merged log through an independent model of the watermark rule. */
    private long replayLog(TreeMap<Long, CommittedRecord> merged, Collector out) {
        Map<Bucket, Mark> marks = new HashMap<>();
        CommittedRecord previous = null;
        boolean afterGap = false;
        long replayed = 0;
        long unexplainedRefusals = 0;
        for (CommittedRecord r : merged.values()) {
            if (previous != null && !r.previousHash().equalsIgnoreCase(previous.hash())) {
                // No replica holds the records in between (snapshot installs): the model may lag the truth.
                afterGap = true;
                out.note("no replica holds the log between index " + previous.index() + " and " + r.index()
                        + "; repeats after it are checked loosely");
            }
            previous = r;
            if (!WATERMARKED_KINDS.contains(r.kind()) || r.keyHash().isEmpty()) {
                continue;
            }
            replayed++;
            Bucket b = r.bucket();
            Mark mark = marks.get(b);
            if (r.isRaise()) {
                if (mark == null || r.levelRound().above(mark.position())) {
                    marks.put(b, new Mark(r.levelRound(), ""));
                }
            } else if (r.isGranted()) {
                if (mark != null && !r.levelRound().above(mark.position())) {
                    out.add(new Violation(
                            Violation.Type.LOG_REGRESSION,
                            "granted " + r.levelRound() + " for " + b + " while the bucket already held "
                                    + mark.position(),
                            List.of(),
                            List.of(r)));
                }
                marks.put(b, new Mark(r.levelRound(), r.digestHex()));
            } else if (r.isRepeat()) {
                boolean equal = mark != null
                        && r.levelRound().equals(mark.position())
                        && r.digestHex().equalsIgnoreCase(mark.digestHex());
                boolean tolerated = afterGap && (mark == null || !r.levelRound().below(mark.position()));
                if (!equal && !tolerated) {
                    out.add(new Violation(
                            Violation.Type.LOG_REGRESSION,
                            "repeat of " + r.levelRound() + " for " + b + " does not match the bucket "
                                    + (mark == null ? "(empty)" : mark.position() + " digest " + mark.digestHex()),
                            List.of(),
                            List.of(r)));
                }
                if (tolerated && !equal) {
                    marks.put(b, new Mark(r.levelRound(), r.digestHex()));
                }
            } else if (r.isRefused() && (mark == null || r.levelRound().above(mark.position()))) {
                // Not a safety problem (nothing was signed) but worth a look: the model would have granted.
                unexplainedRefusals++;
            }
        }
        if (unexplainedRefusals > 0) {
            out.note(unexplainedRefusals + " refused reservation(s) were above the bucket in the model (liveness, "
                    + "not safety: e.g. a policy refusal or a first use)");
        }
        return replayed;
    }

    private record Reservation(String proposer, Bucket bucket, LevelRound position, String digestHex) {}

    private long checkSignaturesCommitted(
            List<Op> signed, TreeMap<Long, CommittedRecord> merged, List<FaultEvent> faults, Collector out) {
        Map<Reservation, List<CommittedRecord>> byReservation = new HashMap<>();
        Map<Reservation, List<CommittedRecord>> byContent = new HashMap<>();
        for (CommittedRecord r : merged.values()) {
            if (!r.grantsSignature()) {
                continue;
            }
            String digest = r.digestHex().toLowerCase();
            byReservation
                    .computeIfAbsent(
                            new Reservation(r.proposer(), r.bucket(), r.levelRound(), digest), k -> new ArrayList<>())
                    .add(r);
            byContent
                    .computeIfAbsent(new Reservation("", r.bucket(), r.levelRound(), digest), k -> new ArrayList<>())
                    .add(r);
        }
        long matched = 0;
        for (Op op : signed) {
            String digest = op.digestHex().toLowerCase();
            List<CommittedRecord> any =
                    byContent.getOrDefault(new Reservation("", op.bucket(), position(op), digest), List.of());
            Optional<CommittedRecord> match;
            if (options.requireOwnReservation()) {
                match =
                        byReservation
                                .getOrDefault(
                                        new Reservation(op.replica(), op.bucket(), position(op), digest), List.of())
                                .stream()
                                .filter(r -> r.timeMillis() >= op.startWallMillis() - options.clockSlackMillis()
                                        && r.timeMillis() <= op.endWallMillis() + options.clockSlackMillis())
                                .findFirst();
            } else {
                match = any.stream().findFirst();
            }
            if (match.isPresent()) {
                matched++;
                continue;
            }
            Optional<FaultEvent> cutOff = faults.stream()
                    .filter(f -> f.minorityDuring(op.replica(), op.startMicros(), op.endMicros()))
                    .findFirst();
            String why = any.isEmpty()
                    ? "no committed granted/repeat record of this digest exists at all"
                    : "the committed grants of this digest were proposed by other replicas or at other times";
            out.add(new Violation(
                    cutOff.isPresent() ? Violation.Type.MINORITY_GRANT : Violation.Type.UNCOMMITTED_SIGNATURE,
                    op.replica() + " returned a signature without a committed reservation of its own"
                            + cutOff.map(f -> " while cut off from the majority by fault " + f.id())
                                    .orElse("")
                            + ": " + why,
                    List.of(op),
                    any.stream().limit(2).toList()));
        }
        return matched;
    }

    private void checkCheckpoints(List<Op> signed, List<WatermarkCheckpoint> checkpoints, Collector out) {
        for (WatermarkCheckpoint cp : checkpoints) {
            Map<Bucket, Op> highestSignedBefore = new HashMap<>();
            for (Op op : signed) {
                if (op.endMicros() < cp.killMicros()) {
                    highestSignedBefore.merge(
                            op.bucket(), op, (a, b) -> position(b).above(position(a)) ? b : a);
                }
            }
            for (Map.Entry<String, Map<Bucket, LevelRound>> replica : new TreeMap<>(cp.after()).entrySet()) {
                Map<Bucket, LevelRound> after = replica.getValue();
                for (Map.Entry<Bucket, LevelRound> before : cp.before().entrySet()) {
                    LevelRound now = after.get(before.getKey());
                    if (now == null || now.below(before.getValue())) {
                        out.add(new Violation(
                                Violation.Type.WATERMARK_LOST,
                                "after the full-cluster kill of fault " + cp.faultId() + ", " + replica.getKey()
                                        + " holds " + (now == null ? "no watermark" : now) + " for " + before.getKey()
                                        + " where the cluster held " + before.getValue() + " before",
                                List.of(),
                                List.of()));
                    }
                }
                for (Op op : highestSignedBefore.values()) {
                    LevelRound now = after.get(op.bucket());
                    if (now == null || now.below(position(op))) {
                        out.add(new Violation(
                                Violation.Type.WATERMARK_LOST,
                                "after the full-cluster kill of fault " + cp.faultId() + ", " + replica.getKey()
                                        + " holds " + (now == null ? "no watermark" : now) + " for " + op.bucket()
                                        + " below a signature returned before the kill",
                                List.of(op),
                                List.of()));
                    }
                }
            }
            if (!cp.notCaughtUp().isEmpty()) {
                out.note("fault " + cp.faultId() + ": " + cp.notCaughtUp()
                        + " did not catch up after the full restart in time and were not compared");
            }
        }
    }

    /** Keeps the first violations of each type and counts the rest. */
    private static final class Collector {
        private final int maxPerType;
        private final List<Violation> violations = new ArrayList<>();
        private final Map<Violation.Type, Integer> dropped = new java.util.EnumMap<>(Violation.Type.class);
        private final List<String> notes = new ArrayList<>();

        Collector(int maxPerType) {
            this.maxPerType = maxPerType;
        }

        void add(Violation v) {
            long kept = violations.stream().filter(x -> x.type() == v.type()).count();
            if (kept < maxPerType) {
                violations.add(v);
            } else {
                dropped.merge(v.type(), 1, Integer::sum);
            }
        }

        void note(String n) {
            if (notes.size() < 100) {
                notes.add(n);
            }
        }

        List<String> notes() {
            List<String> all = new ArrayList<>(notes);
            dropped.forEach((t, n) -> all.add(n + " more " + t + " violation(s) not listed"));
            return all;
        }
    }
}
