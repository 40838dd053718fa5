package io.bakeguard.raft;

import io.bakeguard.core.watermark.BucketKey;
import io.bakeguard.core.watermark.Decision;
import io.bakeguard.core.watermark.Reservation;
import io.bakeguard.core.watermark.WatermarkKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.metrics.impl.RatisMetricRegistryImpl;
import org.apache.ratis.thirdparty.com.codahale.metrics.MetricRegistry;
import org.apache.ratis.thirdparty.com.codahale.metrics.Snapshot;

/**
 * Reserve latency and throughput on three real replicas in this JVM (gRPC on 127.0.0.1, fsync on,
 * production election timeouts). Each reservation is a new (level) in its own bucket, so every one
 * is a grant that goes through a committed, applied Raft entry. Not a unit test: run it by hand
 * (docs/performance.md, section "raft-state: reserve latency").
 *
 * <p>Arguments: {@code [operations per run] [concurrency...]}, default {@code 2000 1 16 64}. System properties:
 * {@code -Dbench.from=leader} proposes on the leader instead of a follower (the signer API benchmark sends to the
 * leader); {@code -Dbench.ratisTimers=true} prints, after the runs, every Ratis timer of the three replicas (count,
 * p50, p99), i.e. where a commit spends its time: the leader's and followers' log flush, the follower's append
 * handling, the state machine's apply, the client's request.
 */
public final class ReserveLatencyBenchmark {
    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    private ReserveLatencyBenchmark() {}

    public static void main(String[] args) throws Exception {
        int operations = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int[] concurrency = args.length > 1
                ? Arrays.stream(args, 1, args.length)
                        .mapToInt(Integer::parseInt)
                        .toArray()
                : new int[] {1, 16, 64};
        Path root = Files.createTempDirectory("bakeguard-bench");
        try (TestCluster cluster = TestCluster.start(
                root,
                3,
                RaftWatermarkGuard.Tuning.DEFAULTS,
                s -> s.withElectionTimeouts(
                        ReplicaSettings.DEFAULT_ELECTION_TIMEOUT_MIN, ReplicaSettings.DEFAULT_ELECTION_TIMEOUT_MAX))) {
            String leader = cluster.waitForLeader();
            boolean fromLeader = "leader".equals(System.getProperty("bench.from", "follower"));
            RaftWatermarkGuard proposer = cluster.replicas().stream()
                    .filter(g -> g.status().selfId().equals(leader) == fromLeader)
                    .findFirst()
                    .orElseThrow();
            System.out.printf(
                    "3 replicas, leader %s, proposing from %s %s; %d operations per run%n",
                    leader,
                    fromLeader ? "the leader" : "follower",
                    proposer.status().selfId(),
                    operations);
            AtomicInteger level = new AtomicInteger(1);
            run(proposer, Math.min(operations, 500), 4, level, "warm-up");
            for (int c : concurrency) {
                run(proposer, operations, c, level, c == 1 ? "sequential" : c + " concurrent");
            }
            if (Boolean.getBoolean("bench.ratisTimers")) {
                printRatisTimers();
            }
        } finally {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(RaftWatermarkGuard g, int operations, int threads, AtomicInteger level, String label)
            throws InterruptedException, IOException {
        long[] latencies = new long[operations];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(threads);
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            // One bucket per thread: a thread's reservations are strictly increasing, so each is a grant.
            BucketKey bucket = new BucketKey(keyFor(t), TestCluster.CHAIN, WatermarkKind.ATTESTATION);
            Thread th = new Thread(() -> {
                try {
                    int i;
                    while ((i = next.getAndIncrement()) < operations) {
                        Reservation r = new Reservation(
                                bucket, level.incrementAndGet(), 0, TestCluster.digest(label + " " + i));
                        long t0 = System.nanoTime();
                        GuardResult result = g.reserve(r, true, Instant.now().plusSeconds(10))
                                .get(30, TimeUnit.SECONDS);
                        latencies[i] = System.nanoTime() - t0;
                        if (!(result instanceof GuardResult.Decided d) || !(d.decision() instanceof Decision.Granted)) {
                            failures.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                } finally {
                    done.countDown();
                }
            });
            th.start();
        }
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IOException(label + " did not finish within 10 minutes");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        System.out.printf(
                "%-14s threads=%3d ops=%5d  %7.0f ops/s  p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max %7.2f ms"
                        + "  not granted %d%n",
                label,
                threads,
                operations,
                operations / seconds,
                ms(sorted, 0.50),
                ms(sorted, 0.90),
                ms(sorted, 0.99),
                sorted[sorted.length - 1] / 1e6,
                failures.get());
    }

    /** Every Ratis timer with samples, per registry (Ratis' timers keep a time-decaying sample of recent events). */
    private static void printRatisTimers() {
        for (RatisMetricRegistry r : MetricRegistries.global().getMetricRegistries()) {
            MetricRegistry d = ((RatisMetricRegistryImpl) r).getDropWizardMetricRegistry();
            d.getTimers().forEach((name, t) -> {
                if (t.getCount() > 0) {
                    Snapshot s = t.getSnapshot();
                    System.out.printf(
                            "%-60s %-45s count %7d  p50 %7.3f ms  p99 %7.3f ms%n",
                            r.getMetricRegistryInfo().getPrefix(),
                            name,
                            t.getCount(),
                            s.getMedian() / 1e6,
                            s.get99thPercentile() / 1e6);
                }
            });
        }
    }

    private static double ms(long[] sorted, double q) {
        int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    private static String keyFor(int thread) {
        StringBuilder b = new StringBuilder("tz1Bench");
        int n = thread;
        do {
            b.append(ALPHABET.charAt(n % ALPHABET.length()));
            n /= ALPHABET.length();
        } while (n > 0);
        return b.toString();
    }
}
