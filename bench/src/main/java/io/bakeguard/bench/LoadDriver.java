package io.bakeguard.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Runs C simulated bakers against a {@link Backend}. Baker b owns the keys i with i mod C = b. In
 * steady mode each baker loops: next level, then for each key it owns, one signature (two for kind
 * {@code consensus}: preattestation then attestation), one at a time on its own connection, like an
 * octez baker. In burst mode all bakers wait on a barrier, then sign for all their keys at once: the
 * start of a round for an operator with many keys; the burst's completion time is measured.
 *
 * <p>Every loop is bounded by the duration, the request count and, for bursts, the burst count.
 */
final class LoadDriver {
    /** What to run. */
    record Spec(
            int keys,
            int concurrency,
            Duration duration,
            long requests,
            Duration warmup,
            ConsensusRequests.Kind kind,
            int startLevel,
            int bursts,
            int warmupBursts,
            boolean timeline) {
        Spec {
            if (keys < 1) {
                throw new IllegalArgumentException("--keys must be at least 1");
            }
            if (concurrency < 1) {
                throw new IllegalArgumentException("--concurrency must be at least 1");
            }
            if (concurrency > keys) {
                throw new IllegalArgumentException("--concurrency (" + concurrency + ") cannot exceed --keys (" + keys
                        + "): each baker owns at least one key, and two bakers never sign for one key");
            }
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("--duration must be positive");
            }
            if (startLevel < 1) {
                throw new IllegalArgumentException("--start-level must be at least 1");
            }
        }
    }

    /** One success's start and end (System.nanoTime), kept when {@link Spec#timeline()} is set. */
    record Event(long startNanos, long endNanos, boolean ok, String error) {}

    /** The measured outcome of a run. */
    record Result(
            Histogram total,
            Histogram post,
            long ok,
            Map<String, Long> errors,
            double seconds,
            List<Double> burstMillis,
            List<Event> events,
            int lastLevel) {}

    private static final long SETTLE_MILLIS = 300;
    private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(120);
    private static final byte[] TEZOS_CHAIN = {0x7a, 0x06, (byte) 0xa7, 0x70}; // NetXdQprcVkpaWU (mainnet)

    /**
     * Told when the measured part of a run begins and ends (after the warm-up; in burst mode, around
     * the measured bursts), e.g. to read the CPU time that the processes under test used in between.
     */
    interface Window {
        void begin();

        void end();
    }

    private static final Window UNOBSERVED = new Window() {
        @Override
        public void begin() {}

        @Override
        public void end() {}
    };

    private final Backend backend;
    private final Spec spec;
    private final ConsensusRequests forge = new ConsensusRequests(TEZOS_CHAIN);
    private Window window = UNOBSERVED;

    LoadDriver(Backend backend, Spec spec) {
        this.backend = backend;
        this.spec = spec;
    }

    /** Reports the measured window's start and end to {@code w}. */
    LoadDriver observedBy(Window w) {
        this.window = w;
        return this;
    }

    Result run() throws Exception {
        return spec.bursts() > 0 ? runBursts() : runSteady();
    }

    private final class Baker implements Runnable {
        final int id;
        final Histogram total = new Histogram(HIGHEST_MICROS, 3);
        final Histogram post = new Histogram(HIGHEST_MICROS, 3);
        final Map<String, Long> errors = new TreeMap<>();
        final List<Event> events = new ArrayList<>();
        final int[] ownedKeys;
        long ok;
        int level;
        Backend.Session session;
        // steady mode
        long measureFrom;
        long end;
        AtomicLong budget;
        Throwable failure;

        Baker(int id) {
            this.id = id;
            int n = (spec.keys() - id + spec.concurrency() - 1) / spec.concurrency();
            ownedKeys = new int[n];
            for (int i = 0; i < n; i++) {
                ownedKeys[i] = id + i * spec.concurrency();
            }
            level = spec.startLevel() - 1;
        }

        @Override
        public void run() {
            try {
                while (System.nanoTime() < end) {
                    if (!signLevel(true)) {
                        return;
                    }
                }
            } catch (Throwable t) {
                failure = t;
            }
        }

        /** Signs this baker's keys at the next level; false when the request budget is spent. */
        boolean signLevel(boolean steady) {
            level++;
            // Now and then a level needs a second round, as on a real chain.
            int round = level % 10 == 9 ? 1 : 0;
            for (int key : ownedKeys) {
                if (spec.kind() != ConsensusRequests.Kind.ATTESTATION) {
                    if (!one(key, false, round, steady)) {
                        return false;
                    }
                }
                if (spec.kind() != ConsensusRequests.Kind.PREATTESTATION) {
                    if (!one(key, true, round, steady)) {
                        return false;
                    }
                }
                if (steady && System.nanoTime() >= end) {
                    return false;
                }
            }
            return true;
        }

        private boolean one(int key, boolean attestation, int round, boolean steady) {
            long start = System.nanoTime();
            boolean measured = start >= measureFrom;
            if (steady && measured && budget != null && budget.decrementAndGet() < 0) {
                return false;
            }
            byte[] request = forge.build(attestation, key & 0xffff, level, round);
            Backend.Outcome o = session.sign(key, request, level, round);
            long endNanos = System.nanoTime();
            if (measured) {
                if (o.ok()) {
                    ok++;
                    total.recordValue(Math.min(HIGHEST_MICROS, (endNanos - start) / 1000));
                    post.recordValue(Math.min(HIGHEST_MICROS, o.postNanos() / 1000));
                } else {
                    errors.merge(o.error(), 1L, Long::sum);
                }
                if (spec.timeline()) {
                    events.add(new Event(start, endNanos, o.ok(), o.error()));
                }
            }
            return true;
        }
    }

    private List<Baker> openBakers() throws Exception {
        List<Baker> bakers = new ArrayList<>();
        for (int b = 0; b < spec.concurrency(); b++) {
            Baker baker = new Baker(b);
            baker.session = backend.open(b);
            bakers.add(baker);
        }
        return bakers;
    }

    private Result runSteady() throws Exception {
        List<Baker> bakers = openBakers();
        long now = System.nanoTime();
        long measureFrom = now + spec.warmup().toNanos();
        long end = measureFrom + spec.duration().toNanos();
        AtomicLong budget = spec.requests() > 0 ? new AtomicLong(spec.requests()) : null;
        List<Thread> threads = new ArrayList<>();
        for (Baker b : bakers) {
            b.measureFrom = measureFrom;
            b.end = end;
            b.budget = budget;
            Thread t = new Thread(b, "baker-" + b.id);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        joinUntil(threads, measureFrom);
        window.begin();
        joinUntil(threads, end);
        window.end();
        joinUntil(threads, end + TimeUnit.SECONDS.toNanos(150));
        for (Thread t : threads) {
            if (t.isAlive()) {
                throw new TimeoutException(t.getName() + " did not finish within 150 s of the end of the run");
            }
        }
        long finished = System.nanoTime();
        for (Baker b : bakers) {
            b.session.close();
            if (b.failure != null) {
                throw new IllegalStateException("baker " + b.id + " failed", b.failure);
            }
        }
        double seconds = (Math.min(finished, end) - measureFrom) / 1e9;
        if (budget != null) { // a request-bounded run ends when the last baker is done
            seconds = (finished - measureFrom) / 1e9;
        }
        return merge(bakers, seconds, List.of());
    }

    private Result runBursts() throws Exception {
        List<Baker> bakers = openBakers();
        int total = spec.warmupBursts() + spec.bursts();
        CyclicBarrier start = new CyclicBarrier(bakers.size() + 1);
        CyclicBarrier done = new CyclicBarrier(bakers.size() + 1);
        long[] burstStart = new long[1];
        List<Thread> threads = new ArrayList<>();
        for (Baker b : bakers) {
            b.end = Long.MAX_VALUE;
            Thread t = new Thread(
                    () -> {
                        try {
                            for (int i = 0; i < total; i++) {
                                start.await(120, TimeUnit.SECONDS);
                                b.measureFrom = i < spec.warmupBursts() ? Long.MAX_VALUE : 0;
                                b.signLevel(false);
                                done.await(120, TimeUnit.SECONDS);
                            }
                        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                            b.failure = e;
                        }
                    },
                    "baker-" + b.id);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        List<Double> burstMillis = new ArrayList<>();
        long measuredNanos = 0;
        try {
            for (int i = 0; i < total; i++) {
                Thread.sleep(SETTLE_MILLIS); // let the previous burst's second (signature-storing) entries settle
                if (i == spec.warmupBursts()) {
                    window.begin();
                }
                start.await(120, TimeUnit.SECONDS);
                burstStart[0] = System.nanoTime();
                done.await(120, TimeUnit.SECONDS);
                long took = System.nanoTime() - burstStart[0];
                if (i >= spec.warmupBursts()) {
                    burstMillis.add(took / 1e6);
                    measuredNanos += took;
                }
            }
            Thread.sleep(SETTLE_MILLIS); // the last burst's signature entries belong to the window
            window.end();
        } finally {
            for (Thread t : threads) {
                t.interrupt();
                t.join(5000);
            }
            for (Baker b : bakers) {
                b.session.close();
            }
        }
        for (Baker b : bakers) {
            if (b.failure != null) {
                throw new IllegalStateException("baker " + b.id + " failed", b.failure);
            }
        }
        return merge(bakers, measuredNanos / 1e9, burstMillis);
    }

    /** Waits until {@code deadline} (System.nanoTime) or until every thread has ended, if sooner. */
    private static void joinUntil(List<Thread> threads, long deadline) throws InterruptedException {
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
    }

    private Result merge(List<Baker> bakers, double seconds, List<Double> burstMillis) {
        Histogram total = new Histogram(HIGHEST_MICROS, 3);
        Histogram post = new Histogram(HIGHEST_MICROS, 3);
        Map<String, Long> errors = new TreeMap<>();
        List<Event> events = new ArrayList<>();
        long ok = 0;
        int lastLevel = 0;
        for (Baker b : bakers) {
            total.add(b.total);
            post.add(b.post);
            b.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
            events.addAll(b.events);
            ok += b.ok;
            lastLevel = Math.max(lastLevel, b.level);
        }
        events.sort((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
        return new Result(total, post, ok, errors, seconds, burstMillis, events, lastLevel);
    }
}
