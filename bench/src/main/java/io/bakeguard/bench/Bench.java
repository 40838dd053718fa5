package io.bakeguard.bench;

import io.bakeguard.core.key.Curve;
import io.bakeguard.core.key.SecretKey;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of {@code bench.jar}: {@code load} (the load tool), {@code scenarios} (the scenario
 * runner behind docs/performance.md), {@code floor} (the no-consensus baseline server) and {@code proxy}
 * (the delaying TCP proxy). Exit code 0 only on success; errors in one line on stderr.
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] argv) {
        System.exit(run(argv, System.out, System.err));
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h")) {
            out.println("usage: bench load|scenarios|floor|proxy [options]   (bench COMMAND --help)\n");
            out.print(LoadTool.USAGE);
            out.print(Scenarios.USAGE);
            return argv.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(argv, 1, argv.length);
        try {
            switch (argv[0]) {
                case "load" -> {
                    if (rest.length == 1 && rest[0].equals("--help")) {
                        out.print(LoadTool.USAGE);
                        return 0;
                    }
                    Report r = LoadTool.run(rest);
                    return r.ok() > 0 ? 0 : 1;
                }
                case "scenarios" -> {
                    if (rest.length == 1 && rest[0].equals("--help")) {
                        out.print(Scenarios.USAGE);
                        return 0;
                    }
                    return Scenarios.run(rest, out);
                }
                case "floor" -> {
                    Args a = Args.parse(rest, Set.of("port", "keys", "threads", "key-list-out"), Set.of());
                    List<SecretKey> keys = new ArrayList<>();
                    SecureRandom rnd = new SecureRandom();
                    for (int i = 0; i < a.integer("keys", 1); i++) {
                        keys.add(SecretKey.generate(Curve.ED25519, rnd));
                    }
                    FloorServer f = FloorServer.start(a.integer("port", 6740), a.integer("threads", 4), keys);
                    if (a.has("key-list-out")) {
                        java.nio.file.Files.write(java.nio.file.Path.of(a.string("key-list-out", null)), f.keyHashes());
                    }
                    out.println("floor signer (no consensus, in-memory watermarks) on " + f.uri());
                    new CountDownLatch(1).await();
                    return 0;
                }
                case "proxy" -> {
                    Args a = Args.parse(rest, Set.of("listen", "target", "delay"), Set.of());
                    String[] t = a.required("target").split(":");
                    DelayProxy p = DelayProxy.start(
                            a.integer("listen", 0),
                            new InetSocketAddress(t[0], Integer.parseInt(t[1])),
                            a.duration("delay", Duration.ZERO));
                    out.println("delay proxy 127.0.0.1:" + p.port() + " -> " + a.required("target"));
                    new CountDownLatch(1).await();
                    return 0;
                }
                default -> {
                    err.println("bench: unknown command '" + argv[0] + "'; use load, scenarios, floor or proxy");
                    return 2;
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("bench: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("bench: " + e);
            return 1;
        }
    }
}
