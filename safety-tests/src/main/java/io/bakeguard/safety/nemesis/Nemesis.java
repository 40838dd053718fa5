package io.bakeguard.safety.nemesis;

import io.bakeguard.safety.check.Bucket;
import io.bakeguard.safety.check.LevelRound;
import io.bakeguard.safety.check.WatermarkCheckpoint;
import io.bakeguard.safety.cluster.AdminClient;
import io.bakeguard.safety.cluster.Cluster;
import io.bakeguard.safety.history.FaultEvent;
import io.bakeguard.safety.history.History;
import io.bakeguard.safety.net.ProxyMesh;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Injects the planned faults one after the other, heals each, and waits (bounded) for the cluster to have a
 * leader again before the next. Records every fault in the {@link History}, and around each kill of the whole
 * cluster a {@link WatermarkCheckpoint}.
 */
public final class Nemesis implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Nemesis.class);
    private static final Duration STATUS_TIMEOUT = Duration.ofMillis(1_500);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(30);

    private final Cluster cluster;
    private final History history;
    private final List<PlannedFault> plan;
    private final BooleanSupplier stop;
    private final long loadStartMillis;
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private volatile int injected;

    /**
     * @param loadStartMillis {@code System.currentTimeMillis()} when the load started; plan times are offsets
     * @param stop checked between faults; a fault in progress is always healed
     */
    public Nemesis(
            Cluster cluster, History history, List<PlannedFault> plan, long loadStartMillis, BooleanSupplier stop) {
        this.cluster = cluster;
        this.history = history;
        this.plan = List.copyOf(plan);
        this.loadStartMillis = loadStartMillis;
        this.stop = stop;
    }

    public int injected() {
        return injected;
    }

    /** Recovery problems seen (the cluster had no leader in time after a heal): liveness, not safety. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    @Override
    public void run() {
        int id = 0;
        for (PlannedFault f : plan) {
            if (stop.getAsBoolean()) {
                return;
            }
            long wait = loadStartMillis + f.atMillis() - System.currentTimeMillis();
            try {
                while (wait > 0 && !stop.getAsBoolean()) {
                    Thread.sleep(Math.min(wait, 200));
                    wait = loadStartMillis + f.atMillis() - System.currentTimeMillis();
                }
                if (stop.getAsBoolean()) {
                    return;
                }
                inject(id++, f);
                injected++;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                problems.add("fault " + (id - 1) + " " + f.type() + ": " + e);
                LOG.warn("fault {} {} failed", id - 1, f.type(), e);
                try {
                    healEverything();
                } catch (IOException | InterruptedException | RuntimeException again) {
                    problems.add("could not heal after fault " + (id - 1) + ": " + again);
                    return;
                }
            }
        }
    }

    private void inject(int id, PlannedFault f) throws IOException, InterruptedException {
        Random rnd = new Random(f.choiceSeed());
        List<String> ids = cluster.ids();
        Optional<String> leader = cluster.currentLeader(STATUS_TIMEOUT);
        LOG.info("fault {} {} (leader {}) hold {} ms", id, f.type(), leader.orElse("?"), f.holdMillis());
        switch (f.type()) {
            case KILL_ONE -> kill(id, f, List.of(pick(ids, rnd)), leader);
            case KILL_LEADER -> kill(id, f, List.of(leader.orElseGet(() -> pick(ids, rnd))), leader);
            case KILL_MAJORITY -> kill(id, f, sample(ids, cluster.majority(), rnd), leader);
            case KILL_ALL -> killAll(id, f, leader);
            case PAUSE_ONE -> pause(id, f, pick(ids, rnd), leader);
            case PAUSE_LEADER -> pause(id, f, leader.orElseGet(() -> pick(ids, rnd)), leader);
            case ISOLATE_ONE -> {
                String target = leader.isPresent() && rnd.nextBoolean() ? leader.get() : pick(ids, rnd);
                partition(id, f, List.of(target), ProxyMesh.isolate(target, ids), mode(rnd), leader);
            }
            case SPLIT_MAJORITY_MINORITY -> {
                List<String> minority = sample(ids, ids.size() - cluster.majority(), rnd);
                if (leader.isPresent() && rnd.nextBoolean() && !minority.contains(leader.get())) {
                    minority = new ArrayList<>(minority);
                    minority.set(0, leader.get());
                }
                partition(id, f, minority, ProxyMesh.split(minority, ids), mode(rnd), leader);
            }
            case BRIDGE -> {
                List<String> shuffled = new ArrayList<>(ids);
                Collections.shuffle(shuffled, rnd);
                String bridge = shuffled.remove(0);
                List<String> left = shuffled.subList(0, shuffled.size() / 2);
                List<ProxyMesh.Cut> cuts = new ArrayList<>();
                for (String a : left) {
                    for (String b : shuffled.subList(shuffled.size() / 2, shuffled.size())) {
                        cuts.add(new ProxyMesh.Cut(a, b));
                        cuts.add(new ProxyMesh.Cut(b, a));
                    }
                }
                partition(id, f, List.of(bridge), cuts, mode(rnd), leader);
            }
            case ONE_WAY_LEADER -> {
                String target = leader.orElseGet(() -> pick(ids, rnd));
                partition(id, f, List.of(target), ProxyMesh.inbound(target, ids), ProxyMesh.Mode.STALL, leader);
            }
            case SLOW_DISK -> {
                String target = leader.isPresent() && rnd.nextBoolean() ? leader.get() : pick(ids, rnd);
                slowDisk(id, f, target, Duration.ofMillis(20 + rnd.nextInt(380)), leader);
            }
        }
    }

    private void kill(int id, PlannedFault f, List<String> targets, Optional<String> leader)
            throws IOException, InterruptedException {
        long start = history.clock().micros();
        for (String t : targets) {
            cluster.process(t).kill9();
        }
        Thread.sleep(f.holdMillis());
        long heal = history.clock().micros();
        for (String t : targets) {
            cluster.process(t).start();
        }
        FaultEvent event = new FaultEvent(
                id,
                f.type(),
                targets,
                start,
                heal,
                leader,
                leader.filter(targets::contains).isPresent(),
                Set.of(),
                "SIGKILL, restart after " + f.holdMillis() + " ms",
                -1);
        history.add(event.recoveredAt(recover(id, targets)));
    }

    private void killAll(int id, PlannedFault f, Optional<String> leader) throws IOException, InterruptedException {
        List<String> ids = cluster.ids();
        Map<Bucket, LevelRound> before = new HashMap<>();
        for (String r : ids) {
            try {
                cluster.admin(r)
                        .watermarks(STATUS_TIMEOUT)
                        .forEach((b, lr) -> before.merge(b, lr, (x, y) -> x.above(y) ? x : y));
            } catch (IOException e) {
                // a lagging or cut-off replica: the others' marks are the reference
            }
        }
        long start = history.clock().micros();
        for (String r : ids) {
            cluster.process(r).kill9();
        }
        Thread.sleep(f.holdMillis());
        long heal = history.clock().micros();
        for (String r : ids) {
            cluster.process(r).start();
        }
        FaultEvent event = new FaultEvent(
                id,
                f.type(),
                ids,
                start,
                heal,
                leader,
                true,
                Set.of(),
                "SIGKILL all, restart after " + f.holdMillis() + " ms",
                -1);
        history.add(event.recoveredAt(recover(id, ids)));
        // Every entry committed before the kill is below the new leader's commit index once it is ready.
        Map<String, Map<Bucket, LevelRound>> after = new LinkedHashMap<>();
        List<String> notCaughtUp = new ArrayList<>();
        Optional<String> newLeader = cluster.awaitLeader(LEADER_TIMEOUT);
        long target = Long.MAX_VALUE;
        if (newLeader.isPresent()) {
            AdminClient la = cluster.admin(newLeader.get());
            long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
            while (!la.ready(STATUS_TIMEOUT) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            try {
                target = la.status(STATUS_TIMEOUT).commitIndex();
            } catch (IOException e) {
                problems.add("fault " + id + ": could not read the new leader's commit index: " + e.getMessage());
            }
        }
        for (String r : ids) {
            long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
            boolean caught = false;
            while (target != Long.MAX_VALUE && System.nanoTime() < deadline) {
                try {
                    if (cluster.admin(r).status(STATUS_TIMEOUT).appliedIndex() >= target) {
                        after.put(r, cluster.admin(r).watermarks(STATUS_TIMEOUT));
                        caught = true;
                        break;
                    }
                } catch (IOException e) {
                    // not answering yet
                }
                Thread.sleep(100);
            }
            if (!caught) {
                notCaughtUp.add(r);
            }
        }
        history.add(new WatermarkCheckpoint(id, start, before, after, notCaughtUp));
    }

    private void pause(int id, PlannedFault f, String target, Optional<String> leader)
            throws IOException, InterruptedException {
        holdOn(
                id,
                f,
                target,
                leader,
                leader.filter(target::equals).isPresent(),
                "SIGSTOP for " + f.holdMillis() + " ms",
                () -> cluster.process(target).pause(),
                () -> cluster.process(target).resume());
    }

    private void slowDisk(int id, PlannedFault f, String target, Duration delay, Optional<String> leader)
            throws IOException, InterruptedException {
        holdOn(
                id,
                f,
                target,
                leader,
                false,
                "every fsync " + delay.toMillis() + " ms slower for " + f.holdMillis() + " ms",
                () -> cluster.setFsyncDelay(target, delay),
                () -> cluster.setFsyncDelay(target, Duration.ZERO));
    }

    /** A step of a fault that acts on the cluster. */
    private interface Step {
        void run() throws IOException, InterruptedException;
    }

    /** Injects a fault on one replica that keeps running, holds it, heals it, records it, waits for a leader. */
    private void holdOn(
            int id,
            PlannedFault f,
            String target,
            Optional<String> leader,
            boolean leaderLost,
            String detail,
            Step inject,
            Step heal)
            throws IOException, InterruptedException {
        long start = history.clock().micros();
        inject.run();
        try {
            Thread.sleep(f.holdMillis());
        } finally {
            heal.run();
        }
        long healed = history.clock().micros();
        FaultEvent event =
                new FaultEvent(id, f.type(), List.of(target), start, healed, leader, leaderLost, Set.of(), detail, -1);
        history.add(event.recoveredAt(recover(id, List.of())));
    }

    private void partition(
            int id,
            PlannedFault f,
            List<String> targets,
            List<ProxyMesh.Cut> cuts,
            ProxyMesh.Mode mode,
            Optional<String> leader)
            throws InterruptedException {
        ProxyMesh mesh = cluster.mesh();
        Set<String> minority = ProxyMesh.minorityUnder(cuts, cluster.ids());
        long start = history.clock().micros();
        mesh.cut(cuts, mode);
        try {
            Thread.sleep(f.holdMillis());
        } finally {
            mesh.healAll();
        }
        long heal = history.clock().micros();
        FaultEvent event = new FaultEvent(
                id,
                f.type(),
                targets,
                start,
                heal,
                leader,
                leader.filter(minority::contains).isPresent(),
                minority,
                mode + " " + cuts.size() + " directed link(s) for " + f.holdMillis() + " ms",
                -1);
        history.add(event.recoveredAt(recover(id, List.of())));
    }

    /**
     * Waits for restarted replicas to answer and for a leader; a failure is a liveness problem, noted. Returns when
     * the leader was seen (run clock), -1 when none was seen in time.
     */
    private long recover(int id, List<String> restarted) throws InterruptedException {
        if (!restarted.isEmpty() && !cluster.awaitAlive(restarted, START_TIMEOUT)) {
            problems.add("fault " + id + ": " + restarted + " not answering /healthz " + START_TIMEOUT.toSeconds()
                    + " s after restart");
        }
        if (cluster.awaitLeader(LEADER_TIMEOUT).isEmpty()) {
            problems.add("fault " + id + ": no leader " + LEADER_TIMEOUT.toSeconds() + " s after healing");
            return -1;
        }
        return history.clock().micros();
    }

    /** Best effort after a failed injection: links restored, paused replicas continued, dead ones restarted. */
    private void healEverything() throws IOException, InterruptedException {
        cluster.mesh().healAll();
        for (String r : cluster.ids()) {
            if (cluster.slowDisk().available()) {
                cluster.setFsyncDelay(r, Duration.ZERO);
            }
            if (cluster.process(r).paused()) {
                cluster.process(r).resume();
            }
            if (!cluster.process(r).alive()) {
                cluster.process(r).start();
            }
        }
    }

    private static ProxyMesh.Mode mode(Random rnd) {
        return rnd.nextBoolean() ? ProxyMesh.Mode.STALL : ProxyMesh.Mode.DROP;
    }

    private static String pick(List<String> ids, Random rnd) {
        return ids.get(rnd.nextInt(ids.size()));
    }

    private static List<String> sample(List<String> ids, int n, Random rnd) {
        List<String> copy = new ArrayList<>(ids);
        Collections.shuffle(copy, rnd);
        return new ArrayList<>(copy.subList(0, n));
    }
}
