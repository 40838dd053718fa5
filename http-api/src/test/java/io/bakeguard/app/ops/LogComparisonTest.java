package io.bakeguard.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LogComparisonTest {

    /** An in-memory log: index -> hash; a "chain" so that one change alters every later hash. */
    static final class MemLog implements LogComparison.Log {
        final String name;
        final TreeMap<Long, String> hashes = new TreeMap<>();
        long start = 1;
        int calls;

        MemLog(String name) {
            this.name = name;
        }

        /** Appends records at the given indexes, each hash chaining the previous one. */
        MemLog append(String salt, long... indexes) {
            for (long i : indexes) {
                String prev = hashes.isEmpty() ? "0" : hashes.lastEntry().getValue();
                hashes.put(i, Integer.toHexString((prev + "|" + i + "|" + salt).hashCode()));
            }
            return this;
        }

        MemLog copyOf(MemLog o) {
            hashes.putAll(o.hashes);
            return this;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long historyStart() {
            return start;
        }

        @Override
        public Optional<Long> lastIndex() {
            calls++;
            return hashes.isEmpty() ? Optional.empty() : Optional.of(hashes.lastKey());
        }

        @Override
        public Optional<Long> firstIndexFrom(long index) {
            calls++;
            return Optional.ofNullable(hashes.ceilingKey(index));
        }

        @Override
        public Optional<String> hashAt(long index) {
            calls++;
            return Optional.ofNullable(hashes.get(index));
        }
    }

    @Test
    void equalLogsAgreeUpToTheirLastRecord() {
        MemLog a = new MemLog("n1").append("x", 1, 2, 5, 6, 9);
        MemLog b = new MemLog("n2").copyOf(a);

        assertThat(LogComparison.compare(a, b)).isEqualTo(new LogComparison.Result.Agree(9, a.hashes.get(9L)));
    }

    @Test
    void aReplicaBehindAgreesUpToItsOwnLastRecord() {
        MemLog behind = new MemLog("n2").append("x", 1, 2, 3);
        MemLog ahead = new MemLog("n1").copyOf(behind).append("y", 4, 7);

        assertThat(LogComparison.compare(ahead, behind))
                .isInstanceOfSatisfying(
                        LogComparison.Result.Agree.class,
                        r -> assertThat(r.upTo()).isEqualTo(3));
    }

    @Test
    void theFirstDifferingIndexIsFoundAcrossGapsInTheIndexes() {
        MemLog a = new MemLog("n1").append("x", 1, 2, 4, 5, 8, 9, 10, 13);
        MemLog b = new MemLog("n3");
        b.hashes.putAll(a.hashes.headMap(8L));
        b.append("tampered", 8, 9, 10, 13);

        LogComparison.Result r = LogComparison.compare(a, b);

        assertThat(r).isInstanceOfSatisfying(LogComparison.Result.Diverge.class, d -> {
            assertThat(d.index()).isEqualTo(8);
            assertThat(d.referenceHash()).contains(a.hashes.get(8L));
            assertThat(d.otherHash()).contains(b.hashes.get(8L));
        });
    }

    @Test
    void aRecordMissingOnOneSideIsADivergence() {
        MemLog a = new MemLog("n1").append("x", 1, 2, 3, 4, 5);
        MemLog b = new MemLog("n2").append("x", 1, 2).append("x", 4, 5);

        assertThat(LogComparison.compare(a, b))
                .isInstanceOfSatisfying(
                        LogComparison.Result.Diverge.class,
                        d -> assertThat(d.index()).isEqualTo(3));
    }

    @Test
    void onlyIndexesBothHoldAreComparedAfterASnapshotInstall() {
        MemLog a = new MemLog("n1").append("x", 1, 2, 3, 4, 5, 6);
        MemLog b = new MemLog("n2");
        b.hashes.putAll(a.hashes.tailMap(4L));
        b.start = 4;

        assertThat(LogComparison.compare(a, b))
                .isInstanceOfSatisfying(
                        LogComparison.Result.Agree.class,
                        r -> assertThat(r.upTo()).isEqualTo(6));
    }

    @Test
    void emptyLogsHaveNothingInCommon() {
        assertThat(LogComparison.compare(new MemLog("a"), new MemLog("b").append("x", 1)))
                .isEqualTo(new LogComparison.Result.Agree(0, ""));
    }

    @Test
    void randomDivergencePointsAreFoundExactlyWithLogarithmicallyManyCalls() {
        Random rnd = new Random(20261121L);
        for (int trial = 0; trial < 300; trial++) {
            MemLog a = new MemLog("a");
            long idx = 0;
            int n = 1 + rnd.nextInt(5000);
            long[] indexes = new long[n];
            for (int i = 0; i < n; i++) {
                idx += 1 + rnd.nextInt(3);
                indexes[i] = idx;
            }
            a.append("x", indexes);
            int cut = rnd.nextInt(n);
            MemLog b = new MemLog("b");
            for (Map.Entry<Long, String> e : a.hashes.entrySet()) {
                if (e.getKey() < indexes[cut]) {
                    b.hashes.put(e.getKey(), e.getValue());
                }
            }
            long[] rest = java.util.Arrays.copyOfRange(indexes, cut, n);
            b.append("other", rest);

            LogComparison.Result r = LogComparison.compare(a, b);

            assertThat(r)
                    .as("trial %d", trial)
                    .isInstanceOfSatisfying(
                            LogComparison.Result.Diverge.class,
                            d -> assertThat(d.index()).isEqualTo(indexes[cut]));
            assertThat(a.calls + b.calls).as("calls for %d records", n).isLessThan(6 * 64);
        }
    }
}
