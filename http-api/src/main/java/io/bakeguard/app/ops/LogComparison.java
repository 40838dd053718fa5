package io.bakeguard.app.ops;

import java.util.Optional;

/**
 * Finds where two replicas' watermark logs stop agreeing. Records are hash-chained (design.md s.4):
 * equal hashes at an index mean equal histories up to it, so "differs at record j" is monotone and a
 * binary search over the reference's records finds the first differing one in O(log n) calls.
 * Raft indexes of configuration and no-op entries carry no record, so the search steps over gaps.
 */
final class LogComparison {
    /** Hard bound on the search's steps (two per halving, 64-bit indexes). */
    static final int MAX_STEPS = 256;

    /** What the comparison needs of one replica's log. */
    interface Log {
        String name();

        /** First index this replica holds (above 1 after a snapshot install). */
        long historyStart();

        /** Index of its newest record, empty when it holds none. */
        Optional<Long> lastIndex();

        /** The index of its first record at or after {@code index}, if any. */
        Optional<Long> firstIndexFrom(long index);

        /** The hash of its record at exactly {@code index}, if it holds one. */
        Optional<String> hashAt(long index);
    }

    /** The outcome for one pair. */
    sealed interface Result {
        /** The two agree on every record up to {@code upTo} ({@code upTo} 0: nothing in common). */
        record Agree(long upTo, String hash) implements Result {}

        /** They differ first at {@code index}; a missing record is an empty hash. */
        record Diverge(long index, Optional<String> referenceHash, Optional<String> otherHash) implements Result {}
    }

    private LogComparison() {}

    /** Compares two logs over the indexes both hold. */
    static Result compare(Log a, Log b) {
        Optional<Long> lastA = a.lastIndex();
        Optional<Long> lastB = b.lastIndex();
        if (lastA.isEmpty() || lastB.isEmpty()) {
            return new Result.Agree(0, "");
        }
        // The reference is the one that ends first: its newest record is the last index both hold.
        Log ref = lastA.get() <= lastB.get() ? a : b;
        Log other = ref == a ? b : a;
        long top = Math.min(lastA.get(), lastB.get());
        long lo = Math.max(Math.max(a.historyStart(), b.historyStart()), 1);
        if (top < lo) {
            return new Result.Agree(0, "");
        }
        Optional<String> topRef = ref.hashAt(top);
        if (topRef.isEmpty()) {
            throw OpsException.failure(ref.name() + " reported index " + top
                    + " as its newest record but has no hash for it: retry, the log may be moving");
        }
        Optional<String> topOther = other.hashAt(top);
        if (topRef.equals(topOther)) {
            return new Result.Agree(top, topRef.get());
        }
        // Search [lo, u) for the first differing record of ref; 'first' is the lowest known to differ.
        long first = top;
        long u = top;
        for (int step = 0; lo < u; step++) {
            if (step >= MAX_STEPS) {
                throw OpsException.failure("log comparison did not converge in " + MAX_STEPS
                        + " steps: the logs are changing under it, retry");
            }
            long mid = lo + (u - lo) / 2;
            Optional<Long> j = ref.firstIndexFrom(mid);
            if (j.isEmpty() || j.get() >= u) {
                u = mid;
            } else if (!ref.hashAt(j.get()).equals(other.hashAt(j.get()))) {
                first = j.get();
                u = j.get();
            } else {
                lo = j.get() + 1;
            }
        }
        Optional<String> h1 = ref.hashAt(first);
        Optional<String> h2 = other.hashAt(first);
        return ref == a ? new Result.Diverge(first, h1, h2) : new Result.Diverge(first, h2, h1);
    }
}
