package io.bakeguard.bench;

import io.bakeguard.core.key.Curve;
import io.bakeguard.core.key.SecretKey;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench scenarios}: starts real replicas (and etcd) on loopback and runs the scenarios of
 * docs/performance.md one after the other, printing each report and a summary, and writing every
 * report as JSON under {@code WORK/results/}. Runs are long (minutes); nothing here runs in the build.
 */
final class Scenarios {
    static final String USAGE = """
            bench scenarios --cp CLASSPATH | --dist DIR  [options]
              --cp CLASSPATH       classpath holding io.bakeguard.app.Bakeguard (e.g. the build's), or
              --dist DIR           a bakeguard distribution (DIR/lib/*.jar)
              --work DIR           where keys, data directories and results go (default ./bench-work)
              --run LIST           any of: start,steady,burst,failover,single,floor,etcd,geo,elections (default all)
              --duration D         measured time per steady run (default 10s), --warmup D before each (default 30s)
              --cluster-warmup D   unmeasured load (8 bakers) on every cluster after it starts, before its first
                                   run (default 120s): a replica JVM compiles hot code for minutes after start,
                                   and a replica that signs for days is measured, not its first minutes
              --concurrency LIST   steady concurrencies (default 1,8,64)
              --burst-keys N       keys attesting at once in the burst (default 1000), --burst-concurrency C (100)
              --kills K            leader kills in the failover scenario (default 3)
              --rtt LIST           geo round-trip times in ms (default 0,10,25,50)
              --elections LIST     election timeouts min:max ms to try at the largest RTT (default 150:300,300:600,1000:2000)
              --jvm-opts "..."     JVM options of the replicas (default: the distribution script's)
              --etcd PATH          etcd binary (default /usr/bin/etcd)
            """;

    static final String DEFAULT_JVM_OPTS =
            "-Xms64m -Xmx256m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError" + " -Djava.net.preferIPv4Stack=true";

    private final PrintStream out;
    private final Path work;
    private final String classpath;
    private final List<String> jvmOptions;
    private final Duration duration;
    private final Duration warmup;
    private final Duration clusterWarmup;
    private final List<String> pkhs = new ArrayList<>();
    private final Map<String, Report> reports = new LinkedHashMap<>();
    private final Map<String, RunProfile> profiles = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private int nextLevel = 1;

    private Scenarios(
            PrintStream out,
            Path work,
            String classpath,
            List<String> jvmOptions,
            Duration d,
            Duration w,
            Duration clusterWarmup) {
        this.out = out;
        this.work = work;
        this.classpath = classpath;
        this.jvmOptions = jvmOptions;
        this.duration = d;
        this.warmup = w;
        this.clusterWarmup = clusterWarmup;
    }

    static int run(String[] argv, PrintStream out) throws Exception {
        Args a = Args.parse(
                argv,
                Set.of(
                        "cp",
                        "dist",
                        "work",
                        "run",
                        "duration",
                        "warmup",
                        "cluster-warmup",
                        "concurrency",
                        "burst-keys",
                        "burst-concurrency",
                        "kills",
                        "rtt",
                        "elections",
                        "jvm-opts",
                        "etcd"),
                Set.of());
        String cp;
        if (a.has("cp")) {
            cp = a.string("cp", null);
        } else if (a.has("dist")) {
            Path lib = Path.of(a.string("dist", null)).resolve("lib");
            if (!Files.isDirectory(lib)) {
                throw new IllegalArgumentException("--dist " + a.string("dist", null) + " has no lib/ directory");
            }
            cp = lib.toAbsolutePath() + "/*";
        } else {
            throw new IllegalArgumentException("--cp or --dist is required (where io.bakeguard.app.Bakeguard is)");
        }
        Path work = Path.of(a.string("work", "bench-work")).toAbsolutePath();
        Files.createDirectories(work.resolve("results"));
        List<String> jvm =
                Arrays.asList(a.string("jvm-opts", DEFAULT_JVM_OPTS).trim().split("\\s+"));
        Scenarios s = new Scenarios(
                out,
                work,
                cp,
                jvm,
                a.duration("duration", Duration.ofSeconds(10)),
                a.duration("warmup", Duration.ofSeconds(30)),
                a.duration("cluster-warmup", Duration.ofSeconds(120)));
        Set<String> run = new LinkedHashSet<>(a.list("run"));
        if (run.isEmpty()) {
            run.addAll(List.of("start", "steady", "burst", "failover", "single", "floor", "etcd", "geo", "elections"));
        }
        List<Integer> conc =
                a.list("concurrency").stream().map(Integer::parseInt).toList();
        if (conc.isEmpty()) {
            conc = List.of(1, 8, 64);
        }
        int burstKeys = a.integer("burst-keys", 1000);
        s.generateKeys(Math.max(
                burstKeys,
                Math.max(64, conc.stream().mapToInt(Integer::intValue).max().orElse(1))));
        out.println("bench scenarios: jvm options of the replicas: " + String.join(" ", jvm));
        out.println("load average at start: " + Report.loadAverage());
        boolean main =
                run.contains("start") || run.contains("steady") || run.contains("burst") || run.contains("failover");
        if (main) {
            try (ReplicaCluster c = s.cluster("three", 3, s.pkhs.size(), Duration.ZERO, Optional.empty())) {
                s.startAndMeasure(c, run.contains("start"));
                if (run.contains("steady")) {
                    for (int cc : conc) {
                        s.steady("3 replicas C=" + cc, c, c.awaitLeader(Duration.ofSeconds(30)), cc);
                    }
                }
                if (run.contains("burst")) {
                    s.burst(c, burstKeys, a.integer("burst-concurrency", 100));
                }
                if (run.contains("failover")) {
                    s.failover(c, a.integer("kills", 3), "3 replicas");
                }
            }
        }
        if (run.contains("single")) {
            try (ReplicaCluster c = s.cluster("single", 1, 64, Duration.ZERO, Optional.empty())) {
                s.startAndMeasure(c, false);
                for (int cc : conc) {
                    s.steady("1 replica C=" + cc, c, c.replicas().get(0), cc);
                }
            }
        }
        if (run.contains("floor")) {
            s.floor(conc);
        }
        if (run.contains("etcd")) {
            s.etcd(Path.of(a.string("etcd", "/usr/bin/etcd")), conc);
        }
        List<Integer> rtts = a.list("rtt").stream().map(Integer::parseInt).toList();
        if (rtts.isEmpty()) {
            rtts = List.of(0, 10, 25, 50);
        }
        if (run.contains("geo")) {
            for (int rtt : rtts) {
                try (ReplicaCluster c = s.cluster("geo-" + rtt, 3, 64, Duration.ofMillis(rtt / 2), Optional.empty())) {
                    s.startAndMeasure(c, false);
                    ReplicaCluster.Replica leader = c.awaitLeader(Duration.ofSeconds(30));
                    s.steady("RTT " + rtt + " ms C=1", c, leader, 1);
                    s.steady("RTT " + rtt + " ms C=8", c, leader, 8);
                }
            }
        }
        if (run.contains("elections")) {
            int rtt = rtts.stream().mapToInt(Integer::intValue).max().orElse(50);
            List<String> sets = a.list("elections");
            if (sets.isEmpty()) {
                sets = List.of("150:300", "300:600", "1000:2000");
            }
            for (String set : sets) {
                String[] mm = set.split(":");
                Duration min = Duration.ofMillis(Long.parseLong(mm[0]));
                Duration max = Duration.ofMillis(Long.parseLong(mm[1]));
                try (ReplicaCluster c = s.cluster(
                        "elect-" + mm[0] + "-" + mm[1], 3, 64, Duration.ofMillis(rtt / 2), Optional.of(new Duration[] {
                            min, max
                        }))) {
                    s.startAndMeasure(c, false);
                    s.elections(c, rtt, set);
                }
            }
        }
        s.summary();
        return 0;
    }

    private void generateKeys(int n) throws IOException {
        Path dir = work.resolve("keys");
        Path list = work.resolve("pkhs.txt");
        if (Files.exists(list) && LoadTool.readKeyList(list).size() >= n) {
            pkhs.addAll(LoadTool.readKeyList(list).subList(0, n));
            return;
        }
        Files.createDirectories(dir);
        SecureRandom rnd = new SecureRandom();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SecretKey k = SecretKey.generate(Curve.ED25519, rnd);
            Path f = dir.resolve(String.format(Locale.ROOT, "k%04d.key", i));
            Files.deleteIfExists(f);
            Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(f, "unencrypted:" + k.toBase58() + "\n");
            lines.add(k.publicKey().hash());
        }
        Files.write(list, lines);
        pkhs.addAll(lines);
        out.println("generated " + n + " Ed25519 keys in " + dir + " (0600), hashes in " + list);
    }

    private String keysBlock(int n) {
        StringBuilder sb = new StringBuilder("keys:\n");
        for (int i = 0; i < n; i++) {
            sb.append("  - secret-key-file: ")
                    .append(work.resolve("keys").resolve(String.format(Locale.ROOT, "k%04d.key", i)))
                    .append("\n    policy: {first-use: allow}\n");
        }
        return sb.toString();
    }

    private ReplicaCluster cluster(String name, int n, int keys, Duration oneWay, Optional<Duration[]> election)
            throws IOException {
        Path root = work.resolve("clusters").resolve(name + "-" + System.currentTimeMillis());
        return new ReplicaCluster(
                root,
                n,
                new ReplicaCluster.Settings(
                        classpath,
                        jvmOptions,
                        keysBlock(keys),
                        oneWay,
                        election.map(e -> e[0]),
                        election.map(e -> e[1]),
                        "2s"));
    }

    private void startAndMeasure(ReplicaCluster c, boolean record) throws Exception {
        String load = Report.loadAverage();
        c.startAll();
        List<String> ready = new ArrayList<>();
        long slowest = 0;
        for (ReplicaCluster.Replica r : c.replicas()) {
            Duration d = c.awaitReady(r, Duration.ofSeconds(180));
            slowest = Math.max(slowest, d.toMillis());
            // CPU the JVM used until it was ready: with several JVMs starting on few cores, the sum of
            // these over the cores is a lower bound for the slowest start.
            double cpu = CpuWindow.cpu(r.process.toHandle()).toMillis() / 1000.0;
            ready.add(String.format(Locale.ROOT, "%s %d ms (%.1f s of CPU)", r.id, d.toMillis(), cpu));
        }
        ReplicaCluster.Replica leader = c.awaitLeader(Duration.ofSeconds(30));
        String line =
                c.replicas().size() + " replica(s), " + (c.replicas().size() == 1 ? "" : "leader " + leader.id + ", ")
                        + "start to ready: " + String.join(", ", ready) + " (load average " + load + ")";
        out.println(line);
        if (record) {
            notes.add("start to ready (JVM launch to /readyz 200): " + String.join(", ", ready) + "; slowest " + slowest
                    + " ms; load average " + load);
            Thread.sleep(5000); // let start-up work settle before reading the idle footprint
            List<String> rss = new ArrayList<>();
            for (ReplicaCluster.Replica r : c.replicas()) {
                rss.add(r.id + String.format(Locale.ROOT, " %.0f MiB", ReplicaCluster.rssMiB(r.pid())));
            }
            String m = "idle RSS after ready (" + pkhs.size() + " keys loaded): " + String.join(", ", rss)
                    + "; load average " + Report.loadAverage();
            note(m);
        }
        warmUp(leader);
    }

    /** Unmeasured load on a fresh cluster so that its JVMs have compiled the hot paths (--cluster-warmup). */
    private void warmUp(ReplicaCluster.Replica target) throws Exception {
        if (clusterWarmup.isZero()) {
            return;
        }
        int bakers = Math.min(8, pkhs.size());
        SignerBackend backend = SignerBackend.connect(List.of(target.signer()), pkhs.subList(0, bakers), 5000, 0);
        LoadDriver.Spec spec = new LoadDriver.Spec(
                bakers,
                bakers,
                clusterWarmup,
                0,
                Duration.ZERO,
                ConsensusRequests.Kind.ATTESTATION,
                nextLevel,
                0,
                0,
                false);
        String load = Report.loadAverage();
        LoadDriver.Result res = new LoadDriver(backend, spec).run();
        nextLevel = Math.max(nextLevel, res.lastLevel() + 1);
        out.println(String.format(
                Locale.ROOT,
                "cluster warm-up (not measured): %d signatures by %d bakers on %s in %.0f s, %d errors; load average"
                        + " %s before, %s after",
                res.ok(),
                bakers,
                target.id,
                res.seconds(),
                res.errors().values().stream().mapToLong(Long::longValue).sum(),
                load,
                Report.loadAverage()));
    }

    /** Steady load on one replica of {@code c}, profiled. */
    private Report steady(String label, ReplicaCluster c, ReplicaCluster.Replica target, int concurrency)
            throws Exception {
        List<URI> targets = List.of(target.signer());
        SignerBackend backend = SignerBackend.connect(targets, pkhs.subList(0, concurrency), 5000, 50);
        LoadDriver.Spec spec = new LoadDriver.Spec(
                concurrency,
                concurrency,
                duration,
                0,
                warmup,
                ConsensusRequests.Kind.ATTESTATION,
                nextLevel,
                0,
                0,
                false);
        return record(label, backend, targets, spec, profile(c, target));
    }

    /**
     * A profile of every live replica of {@code c} (named by id and role) and of this JVM (the load
     * tool), with the signing phases of {@code loaded}, the replica that takes the load.
     */
    private static RunProfile profile(ReplicaCluster c, ReplicaCluster.Replica loaded) {
        Optional<ReplicaCluster.Replica> leader = c.replicas().size() == 1 ? Optional.empty() : c.leader();
        Map<String, ProcessHandle> procs = new LinkedHashMap<>();
        for (ReplicaCluster.Replica r : c.replicas()) {
            if (r.alive()) {
                String role = leader.isEmpty() ? "" : leader.get() == r ? " leader" : " follower";
                procs.put(r.id + role, r.process.toHandle());
            }
        }
        procs.put("load tool", ProcessHandle.current());
        return new RunProfile(procs, Optional.of(loaded.admin()));
    }

    private Report record(String label, Backend backend, List<URI> targets, LoadDriver.Spec spec, RunProfile profile)
            throws Exception {
        Instant started = Instant.now();
        String before = Report.loadAverage();
        LoadDriver.Result res =
                new LoadDriver(backend, spec).observedBy(profile).run();
        nextLevel = Math.max(nextLevel, res.lastLevel() + 1);
        Report r = LoadTool.report(label, backend, targets.toString(), spec, res, started, before);
        out.print(r.text());
        out.print(profile.text(r));
        reports.put(label, r);
        profiles.put(label, profile);
        r.writeJson(resultFile(label), o -> profile.addTo(o, r));
        return r;
    }

    private Path resultFile(String label) {
        return work.resolve("results").resolve(label.replaceAll("[^A-Za-z0-9=.-]+", "_") + ".json");
    }

    private void burst(ReplicaCluster c, int keys, int concurrency) throws Exception {
        ReplicaCluster.Replica target = c.awaitLeader(Duration.ofSeconds(30));
        List<URI> leader = List.of(target.signer());
        SignerBackend backend = SignerBackend.connect(leader, pkhs.subList(0, keys), 5000, 20);
        LoadDriver.Spec spec = new LoadDriver.Spec(
                keys,
                Math.min(concurrency, keys),
                Duration.ofMinutes(5),
                0,
                Duration.ZERO,
                ConsensusRequests.Kind.ATTESTATION,
                nextLevel,
                5,
                1,
                false);
        record(
                "burst " + keys + " keys over " + concurrency + " connections",
                backend,
                leader,
                spec,
                profile(c, target));
    }

    /** Prints a finding and keeps it for the summary at the end. */
    private void note(String m) {
        out.println(m);
        notes.add(m);
    }

    /**
     * Kills the leader under load {@code kills} times; each time, how long until the next grant, then restarts it
     * and reports how long that one JVM took to become ready while the others run.
     */
    private void failover(ReplicaCluster c, int kills, String label) throws Exception {
        for (int k = 1; k <= kills; k++) {
            ReplicaCluster.Replica leader = c.awaitLeader(Duration.ofSeconds(30));
            killUnderLoad(c, leader, label + " leader kill " + k, 8, Duration.ofSeconds(4), Duration.ofSeconds(8));
            c.start(leader);
            Duration ready = c.awaitReady(leader, Duration.ofSeconds(180));
            // Ready means it can commit through the leader; the next kill waits until it has also caught up,
            // so that every kill hits a healthy group (a kill before that would be a second fault).
            Duration caughtUp = c.awaitCaughtUp(leader, Duration.ofSeconds(180));
            // One JVM starting while the others run: what a replica restarted on its own host sees.
            String m = label + " leader kill " + k + ": " + leader.id
                    + " restarted into the running group, start to ready " + ready.toMillis() + " ms, caught up with"
                    + " the leader's log " + caughtUp.toMillis() + " ms after start (" + pkhs.size()
                    + " keys; load average " + Report.loadAverage() + ")";
            note(m);
        }
    }

    private void killUnderLoad(
            ReplicaCluster c,
            ReplicaCluster.Replica victim,
            String label,
            int concurrency,
            Duration before,
            Duration after)
            throws Exception {
        List<URI> all =
                c.replicas().stream().map(ReplicaCluster.Replica::signer).toList();
        SignerBackend backend = SignerBackend.connect(all, pkhs.subList(0, concurrency), 5000, 50);
        LoadDriver.Spec spec = new LoadDriver.Spec(
                concurrency,
                concurrency,
                before.plus(after),
                0,
                Duration.ZERO,
                ConsensusRequests.Kind.ATTESTATION,
                nextLevel,
                0,
                0,
                true);
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Instant started = Instant.now();
            String load = Report.loadAverage();
            Future<LoadDriver.Result> f = ex.submit(() -> new LoadDriver(backend, spec).run());
            Thread.sleep(before.toMillis());
            long killAt = System.nanoTime();
            c.kill(victim);
            // When a survivor says it leads: splits the failover into the election and what follows it.
            long electedAfter = -1;
            ReplicaCluster.Replica successor = null;
            while (System.nanoTime() - killAt < after.toNanos()) {
                Optional<ReplicaCluster.Replica> l = c.selfReportedLeader();
                if (l.isPresent() && l.get() != victim) {
                    electedAfter = System.nanoTime() - killAt;
                    successor = l.get();
                    break;
                }
                Thread.sleep(5);
            }
            LoadDriver.Result res = f.get(5, TimeUnit.MINUTES);
            nextLevel = Math.max(nextLevel, res.lastLevel() + 1);
            long nextGrant = Long.MAX_VALUE;
            long failed = 0;
            long slowest = 0;
            for (LoadDriver.Event e : res.events()) {
                if (e.ok() && e.startNanos() >= killAt) {
                    nextGrant = Math.min(nextGrant, e.endNanos() - killAt);
                }
                if (!e.ok()) {
                    failed++;
                }
                if (e.ok() && e.endNanos() >= killAt) {
                    slowest = Math.max(slowest, e.endNanos() - e.startNanos());
                }
            }
            Report r = LoadTool.report(label, backend, all.toString(), spec, res, started, load);
            out.print(r.text());
            reports.put(label, r);
            r.writeJson(resultFile(label));
            String m = String.format(
                    Locale.ROOT,
                    "%s: SIGKILL of leader %s under %d bakers: %s reported itself leader %.0f ms after the kill (within"
                            + " about 5 ms plus one /admin/status round), next grant %.0f ms after the kill; %d failed"
                            + " requests %s; slowest successful request around the kill %.0f ms; load average %s",
                    label,
                    victim.id,
                    concurrency,
                    successor == null ? "no survivor" : successor.id,
                    electedAfter < 0 ? Double.NaN : electedAfter / 1e6,
                    nextGrant == Long.MAX_VALUE ? Double.NaN : nextGrant / 1e6,
                    failed,
                    res.errors(),
                    slowest / 1e6,
                    load);
            note(m);
        } finally {
            ex.shutdownNow();
        }
    }

    private void floor(List<Integer> conc) throws Exception {
        List<SecretKey> keys = new ArrayList<>();
        SecureRandom rnd = new SecureRandom();
        for (int i = 0; i < 64; i++) {
            keys.add(SecretKey.generate(Curve.ED25519, rnd));
        }
        try (FloorServer f = FloorServer.start(0, 4, keys)) {
            for (int cc : conc) {
                SignerBackend b =
                        SignerBackend.connect(List.of(f.uri()), f.keyHashes().subList(0, cc), 5000, 50);
                LoadDriver.Spec spec = new LoadDriver.Spec(
                        cc, cc, duration, 0, warmup, ConsensusRequests.Kind.ATTESTATION, nextLevel, 0, 0, false);
                record(
                        "floor (no consensus) C=" + cc,
                        new Renamed(b, "floor"),
                        List.of(f.uri()),
                        spec,
                        new RunProfile(Map.of("load tool and floor", ProcessHandle.current()), Optional.empty()));
            }
        }
    }

    private void etcd(Path binary, List<Integer> conc) throws Exception {
        if (!Files.isExecutable(binary)) {
            notes.add("etcd: skipped, " + binary + " is not installed (apt-get install etcd-server)");
            out.println(notes.get(notes.size() - 1));
            return;
        }
        try (EtcdCluster e = new EtcdCluster(binary, work.resolve("etcd-" + System.currentTimeMillis()), 3)) {
            e.awaitHealthy(Duration.ofSeconds(60));
            URI leader = e.leader();
            for (int cc : conc) {
                EtcdBackend b = new EtcdBackend(List.of(leader), "bench/" + System.nanoTime() + "/", 5000);
                LoadDriver.Spec spec = new LoadDriver.Spec(
                        cc, cc, duration, 0, warmup, ConsensusRequests.Kind.ATTESTATION, 1, 0, 0, false);
                Map<String, ProcessHandle> procs = new LinkedHashMap<>(e.members());
                procs.put("load tool", ProcessHandle.current());
                record("etcd 3 members C=" + cc, b, List.of(leader), spec, new RunProfile(procs, Optional.empty()));
            }
        }
    }

    private void elections(ReplicaCluster c, int rtt, String set) throws Exception {
        long termBefore = c.term();
        Report r = steady("RTT " + rtt + " ms elections " + set + " C=1", c, c.awaitLeader(Duration.ofSeconds(30)), 1);
        long termAfter = c.term();
        String m = String.format(
                Locale.ROOT,
                "RTT %d ms, election timeout %s ms: term %d -> %d during %.0f s of steady load (%s); sign p50 %.1f ms"
                        + " p99 %.1f ms",
                rtt,
                set,
                termBefore,
                termAfter,
                r.seconds() + warmup.toSeconds(),
                termAfter == termBefore ? "no election: no flapping" : (termAfter - termBefore) + " election(s)",
                r.ms(50),
                r.ms(99));
        note(m);
        killUnderLoad(
                c,
                c.awaitLeader(Duration.ofSeconds(30)),
                "RTT " + rtt + " ms elections " + set + " leader kill",
                8,
                Duration.ofSeconds(3),
                Duration.ofSeconds(8));
    }

    /** A backend reported under another name (the floor uses the signer protocol). */
    private record Renamed(Backend inner, String name) implements Backend {
        @Override
        public Session open(int baker) throws IOException {
            return inner.open(baker);
        }
    }

    private void summary() {
        out.println();
        out.println("== summary (load average now " + Report.loadAverage() + ") ==");
        out.println("| run | ok | errors | ops/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | load avg"
                + " | CPU ms/op | machine busy / stolen cores |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|");
        for (Report r : reports.values()) {
            Optional<CpuWindow.Usage> u =
                    Optional.ofNullable(profiles.get(r.label())).flatMap(RunProfile::usage);
            out.println(String.format(
                    Locale.ROOT,
                    "| %s | %d | %d | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %s | %s |",
                    r.label(),
                    r.ok(),
                    r.errorCount(),
                    r.throughput(),
                    r.ms(50),
                    r.ms(90),
                    r.ms(99),
                    r.ms(99.9),
                    Report.maxMs(r.total()),
                    r.loadBefore(),
                    u.map(x -> String.format(Locale.ROOT, "%.3f", x.msPerOp(null, r.ok())))
                            .orElse("-"),
                    u.flatMap(CpuWindow.Usage::machine)
                            .map(m -> String.format(Locale.ROOT, "%.2f / %.2f", m.busyCores(), m.stealCores()))
                            .orElse("-")));
        }
        for (Map.Entry<String, Report> e : reports.entrySet()) {
            if (!e.getKey().startsWith("etcd 3 members C=")) {
                continue;
            }
            String c = e.getKey().substring("etcd 3 members C=".length());
            Report bg = reports.get("3 replicas C=" + c);
            if (bg == null) {
                continue;
            }
            Report et = e.getValue();
            out.println(String.format(
                    Locale.ROOT,
                    "Bakeguard/etcd at C=%s: p50 %.2f (POST only %.2f) / %.2f ms = %.2fx, p99 %.2f / %.2f ms = %.2fx,"
                            + " throughput %.0f / %.0f ops/s = %.2fx",
                    c,
                    bg.ms(50),
                    Report.ms(bg.post(), 50),
                    et.ms(50),
                    bg.ms(50) / et.ms(50),
                    bg.ms(99),
                    et.ms(99),
                    bg.ms(99) / et.ms(99),
                    bg.throughput(),
                    et.throughput(),
                    bg.throughput() / et.throughput()));
        }
        notes.forEach(out::println);
    }
}
