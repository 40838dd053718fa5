package io.bakeguard.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code bench load}: drives a signer (or etcd, the peer) like octez bakers do and prints latency
 * percentiles, throughput and errors; {@code --json FILE} writes the same figures as JSON.
 */
final class LoadTool {
    static final Set<String> OPTIONS = Set.of(
            "target",
            "backend",
            "keys",
            "key-list",
            "concurrency",
            "duration",
            "requests",
            "warmup",
            "kind",
            "bursts",
            "warmup-bursts",
            "start-level",
            "timeout",
            "verify-every",
            "json",
            "label");

    static final String USAGE = """
            bench load --target URL[,URL...] --key-list FILE [options]
              --backend bakeguard|etcd   what to drive (default bakeguard: the Tezos remote signer API;
                                         etcd: the same watermark compare-and-set via etcd's /v3/kv/txn)
              --key-list FILE            public key hashes, one per line (bakeguard backend)
              --keys N                   how many keys (default: all of --key-list; etcd: 1)
              --concurrency C            simulated bakers, each on its own kept-alive connection (default 1)
              --duration D | --requests N  how long to measure (default 10s) or how many signatures
              --warmup D                 unmeasured run before (default 2s)
              --kind attestation|preattestation|consensus   (default attestation)
              --bursts B                 burst mode: B times, every key signs at once (plus --warmup-bursts, default 1)
              --start-level L            first level (default 1; above any existing watermark)
              --timeout D                per request (default 5s)
              --verify-every K           check every K-th signature of each baker (default 50, 0 = never)
              --json FILE                also write the figures as JSON
            """;

    private LoadTool() {}

    static Report run(String[] argv) throws Exception {
        Args a = Args.parse(argv, OPTIONS, Set.of());
        List<URI> targets = new ArrayList<>();
        for (String t : a.list("target")) {
            targets.add(URI.create(t.endsWith("/") ? t.substring(0, t.length() - 1) : t));
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("--target is required");
        }
        String backendName = a.string("backend", "bakeguard");
        int timeout = (int) a.duration("timeout", Duration.ofSeconds(5)).toMillis();
        Backend backend;
        int keys;
        if (backendName.equals("etcd")) {
            keys = a.integer("keys", 1);
            backend = new EtcdBackend(targets, "bakeguard-bench/" + System.nanoTime() + "/", timeout);
        } else if (backendName.equals("bakeguard")) {
            List<String> pkhs = readKeyList(Path.of(a.required("key-list")));
            keys = a.integer("keys", pkhs.size());
            if (keys > pkhs.size()) {
                throw new IllegalArgumentException("--keys " + keys + " but --key-list has only " + pkhs.size());
            }
            backend = SignerBackend.connect(targets, pkhs.subList(0, keys), timeout, a.integer("verify-every", 50));
        } else {
            throw new IllegalArgumentException("--backend must be bakeguard or etcd, got '" + backendName + "'");
        }
        LoadDriver.Spec spec = new LoadDriver.Spec(
                keys,
                a.integer("concurrency", 1),
                a.duration("duration", Duration.ofSeconds(10)),
                a.longValue("requests", 0),
                a.duration("warmup", Duration.ofSeconds(2)),
                ConsensusRequests.Kind.parse(a.string("kind", "attestation")),
                a.integer("start-level", 1),
                a.integer("bursts", 0),
                a.integer("warmup-bursts", 1),
                false);
        if (spec.requests() > 0 && !a.has("duration")) {
            spec = new LoadDriver.Spec(
                    spec.keys(),
                    spec.concurrency(),
                    Duration.ofMinutes(10),
                    spec.requests(),
                    spec.warmup(),
                    spec.kind(),
                    spec.startLevel(),
                    spec.bursts(),
                    spec.warmupBursts(),
                    false);
        }
        Report r = measure(a.string("label", "load"), backend, targets.toString(), spec);
        System.out.print(r.text());
        if (a.has("json")) {
            r.writeJson(Path.of(a.string("json", null)));
        }
        return r;
    }

    /** Runs one measurement and wraps its figures with the load average around it. */
    static Report measure(String label, Backend backend, String targets, LoadDriver.Spec spec) throws Exception {
        Instant started = Instant.now();
        String before = Report.loadAverage();
        LoadDriver.Result res = new LoadDriver(backend, spec).run();
        return report(label, backend, targets, spec, res, started, before);
    }

    static Report report(
            String label,
            Backend backend,
            String targets,
            LoadDriver.Spec spec,
            LoadDriver.Result res,
            Instant started,
            String before) {
        return new Report(
                label,
                backend.name(),
                targets,
                spec.bursts() > 0 ? "burst" : "steady",
                spec.kind().name().toLowerCase(java.util.Locale.ROOT),
                spec.keys(),
                spec.concurrency(),
                res.ok(),
                res.errors(),
                res.seconds(),
                res.total(),
                res.post(),
                res.burstMillis(),
                before,
                Report.loadAverage(),
                started);
    }

    /** Public key hashes, one per line; blank lines and {@code #} comments are skipped. */
    static List<String> readKeyList(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            if (!s.matches("tz[1-4][1-9A-HJ-NP-Za-km-z]{33}")) {
                throw new IllegalArgumentException(file + ": not a tz1..tz4 public key hash: '" + s + "'");
            }
            out.add(s);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + " lists no public key hash");
        }
        return out;
    }
}
