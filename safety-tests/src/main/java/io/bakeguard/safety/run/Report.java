package io.bakeguard.safety.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bakeguard.safety.check.Bucket;
import io.bakeguard.safety.check.LevelRound;
import io.bakeguard.safety.check.Verdict;
import io.bakeguard.safety.check.Violation;
import io.bakeguard.safety.history.FaultEvent;
import io.bakeguard.safety.history.FaultType;
import io.bakeguard.safety.history.Op;
import io.bakeguard.safety.history.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The figures of a run: requests by outcome, faults by type, failover times (leader loss to the first signature
 * for a request sent after it), and the checker's verdict. Written as text and JSON.
 */
public final class Report {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ObjectNode json = JSON.createObjectNode();
    private final String text;

    public Report(
            RunSettings s,
            double seconds,
            List<Op> ops,
            List<FaultEvent> faults,
            int planned,
            List<String> problems,
            Map<String, long[]> links,
            Verdict v) {
        Map<String, Long> outcomes = new TreeMap<>();
        for (Op op : ops) {
            outcomes.merge(op.outcome().type(), 1L, Long::sum);
        }
        long conflicting = conflictingRequests(ops);
        Map<FaultType, Integer> byType = new EnumMap<>(FaultType.class);
        for (FaultEvent f : faults) {
            byType.merge(f.type(), 1, Integer::sum);
        }
        List<Failover> all = failovers(ops, faults);
        List<Long> failovers = millis(all, false);
        List<Long> uninterrupted = millis(all, true);
        Map<FaultType, List<Long>> uninterruptedByType = uninterruptedByType(all);
        long longestGap = longestGapWithoutSignatureMillis(ops);
        List<Long> recoveries = faults.stream()
                .filter(f -> f.recoveredMicros() >= 0)
                .map(f -> (f.recoveredMicros() - f.healMicros()) / 1_000)
                .sorted()
                .toList();
        long refusedWatermark = ops.stream()
                .filter(o -> o.outcome() instanceof Outcome.Refused r && r.status() == 409)
                .count();

        json.put("seed", s.seed());
        json.put("replicas", s.replicas());
        json.put("bakers", s.bakers());
        json.put("keys", s.keys());
        json.put("duration_planned_s", s.duration().toSeconds());
        json.put("duration_actual_s", Math.round(seconds));
        ObjectNode req = json.putObject("requests");
        req.put("sent", ops.size());
        outcomes.forEach(req::put);
        req.put("refused_by_watermark", refusedWatermark);
        req.put("conflicting", conflicting);
        ObjectNode fl = json.putObject("faults");
        fl.put("planned", planned);
        fl.put("injected", faults.size());
        ObjectNode bt = fl.putObject("by_type");
        byType.forEach((t, n) -> bt.put(t.name(), n));
        ObjectNode fo = json.putObject("failover_ms");
        fo.put("count", failovers.size());
        fo.put("p50", percentile(failovers, 50));
        fo.put("p99", percentile(failovers, 99));
        fo.put("max", failovers.isEmpty() ? 0 : failovers.get(failovers.size() - 1));
        ObjectNode fu = json.putObject("failover_uninterrupted_ms");
        fu.put("count", uninterrupted.size());
        fu.put("p50", percentile(uninterrupted, 50));
        fu.put("p99", percentile(uninterrupted, 99));
        fu.put("max", uninterrupted.isEmpty() ? 0 : uninterrupted.get(uninterrupted.size() - 1));
        ObjectNode fut = fu.putObject("by_type");
        uninterruptedByType.forEach((type, l) -> fut.putObject(type.name())
                .put("count", l.size())
                .put("p50", percentile(l, 50))
                .put("p99", percentile(l, 99)));
        ObjectNode rec = json.putObject("recovery_ms");
        rec.put("count", recoveries.size());
        rec.put("p50", percentile(recoveries, 50));
        rec.put("p99", percentile(recoveries, 99));
        json.put("longest_gap_without_signature_ms", longestGap);
        ObjectNode ln = json.putObject("raft_proxy_links");
        links.forEach((name, v2) -> ln.putObject(name).put("connections", v2[0]).put("bytes", v2[1]));
        ObjectNode ver = json.putObject("verdict");
        ver.put("safe", v.safe());
        ver.put("signatures_verified", v.signaturesVerified());
        ver.put("slots_signed", v.slotsChecked());
        ver.put("log_records_replayed", v.logRecordsReplayed());
        ver.put("signatures_matched_to_committed_reservations", v.signaturesMatchedToLog());
        ObjectNode vt = ver.putObject("violations");
        for (Violation.Type t : Violation.Type.values()) {
            vt.put(t.name(), v.countsByType().getOrDefault(t, 0));
        }
        ver.putPOJO("notes", v.notes());
        json.putPOJO("recovery_problems", problems);

        StringBuilder t = new StringBuilder();
        t.append(String.format(
                "Bakeguard fault-injection run: %d replicas, seed %d, %d bakers, %d keys, %.0f s (planned %d s)%n",
                s.replicas(),
                s.seed(),
                s.bakers(),
                s.keys(),
                seconds,
                s.duration().toSeconds()));
        t.append(String.format(
                "requests: %d sent, %d conflicting (slots that saw two or more payloads); outcomes %s%n",
                ops.size(), conflicting, outcomes));
        t.append(String.format("faults: %d injected of %d planned %s%n", faults.size(), planned, byType));
        t.append(String.format(
                "failover (leader lost -> first signature for a request sent after): %d samples, p50 %d ms,"
                        + " p99 %d ms, max %d ms%n",
                failovers.size(),
                percentile(failovers, 50),
                percentile(failovers, 99),
                failovers.isEmpty() ? 0 : failovers.get(failovers.size() - 1)));
        t.append(uninterruptedText(uninterrupted, uninterruptedByType));
        t.append(String.format(
                "recovery (heal or restart -> a leader known to a majority again): %d samples, p50 %d ms, p99 %d ms%n",
                recoveries.size(), percentile(recoveries, 50), percentile(recoveries, 99)));
        t.append(String.format("longest time without any signature returned: %d ms%n", longestGap));
        t.append("raft traffic through the proxies (connections/bytes):");
        links.forEach((name, v2) ->
                t.append(' ').append(name).append('=').append(v2[0]).append('/').append(v2[1]));
        t.append('\n');
        t.append(String.format(
                "checked: %d signatures verified, %d slots signed, %d log records replayed, %d signatures matched"
                        + " to committed reservations%n",
                v.signaturesVerified(), v.slotsChecked(), v.logRecordsReplayed(), v.signaturesMatchedToLog()));
        if (!problems.isEmpty()) {
            t.append("recovery problems (liveness, not safety): ")
                    .append(problems.size())
                    .append('\n');
            problems.stream().limit(20).forEach(p -> t.append("  ").append(p).append('\n'));
        }
        t.append("verdict: ").append(v.render(s.seed(), faults, 20));
        this.text = t.toString();
    }

    /** Requests for a slot (bucket, level, round) to which at least two different payloads were sent. */
    static long conflictingRequests(List<Op> ops) {
        Map<String, Set<String>> digests = new HashMap<>();
        for (Op op : ops) {
            digests.computeIfAbsent(slot(op), k -> new HashSet<>()).add(op.digestHex());
        }
        return ops.stream().filter(op -> digests.get(slot(op)).size() > 1).count();
    }

    private static String slot(Op op) {
        Bucket b = op.bucket();
        return b + "@" + new LevelRound(op.level(), op.round());
    }

    /**
     * One fault that took the leader away, and the time from its injection to the end of the first signed request
     * sent after it; {@code interrupted} when another fault was injected before that signature (when the nemesis
     * runs behind its schedule it injects the next fault as soon as a leader is back, often before any signature,
     * and such a sample measures a chain of faults rather than one failover).
     */
    record Failover(FaultEvent fault, long millis, boolean interrupted) {}

    /** Every failover of the run, in the order of the fault list, in one pass over the signed requests. */
    static List<Failover> failovers(List<Op> ops, List<FaultEvent> faults) {
        long[] starts =
                faults.stream().mapToLong(FaultEvent::startMicros).sorted().toArray();
        List<Op> signed = ops.stream()
                .filter(Op::signed)
                .sorted(Comparator.comparingLong(Op::startMicros))
                .toList();
        long[] suffixMinEnd = new long[signed.size() + 1];
        suffixMinEnd[signed.size()] = Long.MAX_VALUE;
        for (int i = signed.size() - 1; i >= 0; i--) {
            suffixMinEnd[i] = Math.min(suffixMinEnd[i + 1], signed.get(i).endMicros());
        }
        List<Failover> out = new ArrayList<>();
        for (FaultEvent f : faults) {
            if (!f.leaderLost()) {
                continue;
            }
            int lo = 0;
            int hi = signed.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (signed.get(mid).startMicros() < f.startMicros()) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            if (suffixMinEnd[lo] == Long.MAX_VALUE) {
                continue;
            }
            int next = Arrays.binarySearch(starts, f.startMicros() + 1);
            next = next >= 0 ? next : -next - 1;
            boolean interrupted = next < starts.length && starts[next] <= suffixMinEnd[lo];
            out.add(new Failover(f, (suffixMinEnd[lo] - f.startMicros()) / 1_000, interrupted));
        }
        return out;
    }

    /** Sorted failover times; with {@code uninterruptedOnly} only those no other fault interrupted. */
    static List<Long> millis(List<Failover> failovers, boolean uninterruptedOnly) {
        return failovers.stream()
                .filter(f -> !uninterruptedOnly || !f.interrupted())
                .map(Failover::millis)
                .sorted()
                .toList();
    }

    /** Uninterrupted failovers by the type of the fault that took the leader away (types with samples only). */
    static Map<FaultType, List<Long>> uninterruptedByType(List<Failover> failovers) {
        Map<FaultType, List<Long>> out = new EnumMap<>(FaultType.class);
        for (Failover f : failovers) {
            if (!f.interrupted()) {
                out.computeIfAbsent(f.fault().type(), t -> new ArrayList<>()).add(f.millis());
            }
        }
        out.values().forEach(l -> l.sort(Long::compare));
        return out;
    }

    /** The report lines of the failovers that no other fault interrupted, all and by fault type. */
    static String uninterruptedText(List<Long> uninterrupted, Map<FaultType, List<Long>> byType) {
        StringBuilder t = new StringBuilder(String.format(
                "failover with no other fault before that signature: %d samples, p50 %d ms, p99 %d ms, max %d ms%n",
                uninterrupted.size(),
                percentile(uninterrupted, 50),
                percentile(uninterrupted, 99),
                uninterrupted.isEmpty() ? 0 : uninterrupted.get(uninterrupted.size() - 1)));
        byType.forEach((type, l) -> t.append(String.format(
                "  %-24s %4d samples, p50 %6d ms, p99 %6d ms%n",
                type, l.size(), percentile(l, 50), percentile(l, 99))));
        return t.toString();
    }

    /** The longest interval between two consecutive signatures returned to any baker (liveness, not safety). */
    static long longestGapWithoutSignatureMillis(List<Op> ops) {
        long[] ends = ops.stream()
                .filter(Op::signed)
                .mapToLong(Op::endMicros)
                .sorted()
                .toArray();
        long gap = 0;
        for (int i = 1; i < ends.length; i++) {
            gap = Math.max(gap, ends[i] - ends[i - 1]);
        }
        return gap / 1_000;
    }

    /** Nearest-rank percentile of a sorted list; 0 when empty. */
    static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    public String text() {
        return text;
    }

    public ObjectNode json() {
        return json;
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.txt"), text);
        Files.writeString(dir.resolve("report.json"), JSON.writeValueAsString(json));
    }
}
