package io.bakeguard.safety.run;

import io.bakeguard.core.key.Curve;
import io.bakeguard.core.key.PublicKey;
import io.bakeguard.safety.check.CheckInput;
import io.bakeguard.safety.check.CommittedRecord;
import io.bakeguard.safety.check.PublicKeyVerifier;
import io.bakeguard.safety.check.SafetyChecker;
import io.bakeguard.safety.check.Verdict;
import io.bakeguard.safety.check.WatermarkLogFiles;
import io.bakeguard.safety.cluster.Cluster;
import io.bakeguard.safety.history.FaultType;
import io.bakeguard.safety.history.History;
import io.bakeguard.safety.history.RunClock;
import io.bakeguard.safety.load.Baker;
import io.bakeguard.safety.load.SlotSchedule;
import io.bakeguard.safety.load.TestKey;
import io.bakeguard.safety.nemesis.Nemesis;
import io.bakeguard.safety.nemesis.NemesisSchedule;
import io.bakeguard.safety.nemesis.PlannedFault;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One whole run: start the cluster behind the proxies, run the bakers and the nemesis, heal, fetch every
 * replica's watermark log, check, report. Everything is bounded in time.
 */
public final class SafetyRun {
    private static final Logger LOG = LoggerFactory.getLogger(SafetyRun.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

    /** What a run produced. */
    public record Result(Verdict verdict, Report report, Path runDir) {}

    private final RunSettings s;

    public SafetyRun(RunSettings settings) {
        this.s = settings;
    }

    public Result execute() throws IOException, InterruptedException {
        Path runDir = s.reportDir().resolve(s.runName()).toAbsolutePath();
        if (Files.exists(runDir)) {
            deleteTree(runDir);
        }
        Files.createDirectories(runDir);
        List<TestKey> keys = new ArrayList<>();
        SecureRandom rnd = new SecureRandom();
        for (int i = 0; i < s.keys(); i++) {
            keys.add(TestKey.generate(i % 2 == 0 ? Curve.ED25519 : Curve.SECP256K1, rnd));
        }
        Map<String, PublicKey> publicKeys = new LinkedHashMap<>();
        keys.forEach(k -> publicKeys.put(k.keyHash(), k.publicKey()));

        RunClock clock = new RunClock();
        History history = new History(clock);
        Cluster.Options options =
                new Cluster.Options(s.replicas(), runDir, keys, s.requestTimeout(), s.classpath(), s.jvmOptions());
        try (Cluster cluster = Cluster.create(options)) {
            Set<FaultType> faultTypes = EnumSet.allOf(FaultType.class);
            if (!cluster.slowDisk().available()) {
                faultTypes.remove(FaultType.SLOW_DISK);
                LOG.warn("SLOW_DISK faults are skipped: {}", cluster.slowDisk().unavailableReason());
            }
            List<PlannedFault> plan =
                    NemesisSchedule.plan(s.seed(), s.faults(), s.duration().toMillis(), faultTypes);
            cluster.startAll();
            if (!cluster.awaitAlive(cluster.ids(), START_TIMEOUT)
                    || cluster.awaitLeader(START_TIMEOUT).isEmpty()) {
                throw new IllegalStateException("the cluster did not start with a leader within "
                        + START_TIMEOUT.toSeconds() + " s; replica logs are in " + runDir);
            }
            LOG.info(
                    "cluster of {} up in {}; {} faults planned over {}",
                    s.replicas(),
                    runDir,
                    plan.size(),
                    s.duration());

            AtomicBoolean stopLoad = new AtomicBoolean();
            AtomicBoolean stopNemesis = new AtomicBoolean();
            Map<String, URI> signers = new LinkedHashMap<>();
            cluster.ids().forEach(id -> signers.put(id, cluster.signerUri(id)));
            SlotSchedule schedule = new SlotSchedule();
            Duration clientTimeout = s.requestTimeout().plusSeconds(2);
            List<Thread> bakers = new ArrayList<>();
            for (int b = 0; b < s.bakers(); b++) {
                Baker baker =
                        new Baker(b, keys, signers, schedule, history, s.seed() * 31 + b, clientTimeout, stopLoad::get);
                Thread t = new Thread(baker, "baker-" + b);
                t.setDaemon(true);
                bakers.add(t);
            }
            long loadStart = System.currentTimeMillis();
            Nemesis nemesis = new Nemesis(cluster, history, plan, loadStart, stopNemesis::get);
            Thread nemesisThread = new Thread(nemesis, "nemesis");
            nemesisThread.setDaemon(true);
            bakers.forEach(Thread::start);
            nemesisThread.start();

            // The load lasts the planned duration, longer while faults are still being injected, never more than
            // the maximum duration.
            long hardStop = loadStart + s.maxDuration().toMillis();
            long end = loadStart + s.duration().toMillis();
            while (System.currentTimeMillis() < hardStop
                    && (System.currentTimeMillis() < end || nemesisThread.isAlive())) {
                Thread.sleep(200);
            }
            stopNemesis.set(true);
            nemesisThread.join(Duration.ofMinutes(5).toMillis());
            stopLoad.set(true);
            for (Thread t : bakers) {
                t.join(clientTimeout.toMillis() * 3 + 5_000);
            }
            double seconds = (System.currentTimeMillis() - loadStart) / 1000.0;
            LOG.info(
                    "load stopped after {} s: {} requests, {} faults",
                    seconds,
                    history.ops().size(),
                    nemesis.injected());

            Map<String, List<CommittedRecord>> logs = settleAndFetchLogs(cluster);
            SafetyChecker checker = new SafetyChecker(new PublicKeyVerifier(publicKeys));
            Verdict verdict =
                    checker.check(new CheckInput(history.ops(), history.faults(), logs, history.checkpoints()));
            List<String> problems = new ArrayList<>(nemesis.problems());
            if (!cluster.slowDisk().available()) {
                problems.add(
                        0, "SLOW_DISK faults skipped: " + cluster.slowDisk().unavailableReason());
            }
            for (String id : cluster.ids()) {
                if (!logs.containsKey(id)) {
                    problems.add("could not fetch the watermark log of " + id);
                }
            }
            Map<String, long[]> links = new java.util.TreeMap<>();
            for (String a : cluster.ids()) {
                for (String b : cluster.ids()) {
                    if (!a.equals(b)) {
                        var p = cluster.mesh().proxy(a, b);
                        links.put(a + "->" + b, new long[] {p.connectionsAccepted(), p.bytesForwarded()});
                    }
                }
            }
            Report report =
                    new Report(s, seconds, history.ops(), history.faults(), plan.size(), problems, links, verdict);
            report.write(runDir);
            history.writeJsonLines(runDir.resolve("history.jsonl"));
            Files.writeString(runDir.resolve("violations.txt"), verdict.render(s.seed(), history.faults(), 1_000));
            LOG.info("\n{}", report.text());
            return new Result(verdict, report, runDir);
        }
    }

    /** Heals, waits until every replica has applied what the leader committed, then reads every log. */
    private Map<String, List<CommittedRecord>> settleAndFetchLogs(Cluster cluster)
            throws IOException, InterruptedException {
        cluster.mesh().healAll();
        for (String id : cluster.ids()) {
            if (cluster.process(id).paused()) {
                cluster.process(id).resume();
            }
            if (!cluster.process(id).alive()) {
                cluster.process(id).start();
            }
        }
        cluster.awaitAlive(cluster.ids(), START_TIMEOUT);
        Optional<String> leader = cluster.awaitLeader(SETTLE_TIMEOUT);
        if (leader.isPresent()) {
            long target = -1;
            long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
            while (target < 0 && System.nanoTime() < deadline) {
                try {
                    target = cluster.admin(leader.get())
                            .status(Duration.ofSeconds(2))
                            .commitIndex();
                } catch (IOException e) {
                    Thread.sleep(200);
                }
            }
            for (String id : cluster.ids()) {
                while (System.nanoTime() < deadline) {
                    try {
                        if (cluster.admin(id).status(Duration.ofSeconds(2)).appliedIndex() >= target) {
                            break;
                        }
                    } catch (IOException e) {
                        // not answering yet
                    }
                    Thread.sleep(200);
                }
            }
        }
        Map<String, List<CommittedRecord>> logs = new LinkedHashMap<>();
        for (String id : cluster.ids()) {
            try {
                logs.put(id, cluster.admin(id).log(Duration.ofSeconds(30)));
            } catch (IOException e) {
                LOG.warn("could not fetch the log of {}: {}", id, e.getMessage());
            }
            // A replica that restarted its history after a snapshot install serves only the new one; the older
            // records are in the files it set aside (in a long run, possibly on every replica).
            try {
                logs.putAll(WatermarkLogFiles.readSetAside(id, cluster.dataDir(id)));
            } catch (IOException e) {
                LOG.warn("could not read the set-aside logs of {}: {}", id, e.getMessage());
            }
        }
        return logs;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
