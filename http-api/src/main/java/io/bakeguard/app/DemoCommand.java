package io.bakeguard.app;

import io.bakeguard.app.config.BakeguardConfig;
import io.bakeguard.app.config.BakeguardConfig.AdminConfig;
import io.bakeguard.app.config.BakeguardConfig.ClusterMember;
import io.bakeguard.app.config.BakeguardConfig.KeyEntry;
import io.bakeguard.app.config.BakeguardConfig.NodeConfig;
import io.bakeguard.app.config.BakeguardConfig.PolicyConfig;
import io.bakeguard.app.config.BakeguardConfig.RaftConfig;
import io.bakeguard.app.config.BakeguardConfig.SignerConfig;
import io.bakeguard.core.key.Curve;
import io.bakeguard.core.key.SecretKey;
import io.bakeguard.core.signer.SoftwareSigner;
import io.bakeguard.http.KeyRing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bakeguard demo [--dir DIR]} (design.md s.3): three replicas in this process on loopback,
 * a fresh tz1 key in {@code DIR} allowed to sign on first use, and the commands to try it.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Run a local three-replica cluster with a fresh key, for trying Bakeguard out.")
final class DemoCommand implements Callable<Integer> {
    /** The ghostnet chain id, used in the example requests. */
    static final String DEMO_CHAIN_HEX = "af1864d9";

    static final String KEY_FILE = "demo.key";

    @Option(names = "--dir", paramLabel = "DIR", description = "where the key and data go (default ./bakeguard-demo)")
    Path dir = Path.of("bakeguard-demo");

    @Option(names = "--signer-port", hidden = true, description = "first signer port")
    int signerPort = 6732;

    @Option(names = "--admin-port", hidden = true, description = "first admin port")
    int adminPort = 9583;

    @Option(names = "--raft-port", hidden = true, description = "first Raft port")
    int raftPort = 9870;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(dir);
        Path keyFile = dir.resolve(KEY_FILE);
        boolean fresh = !Files.exists(keyFile);
        if (fresh) {
            SecretKey key = SecretKey.generate(Curve.ED25519, new SecureRandom());
            SecretFiles.writeNew(keyFile, "unencrypted:" + key.toBase58() + "\n");
        }
        String text = SecretFiles.read(keyFile, "demo key file").strip();
        String pkh = new SoftwareSigner(SecretKey.parse(text, Optional.empty())).publicKeyHash();

        List<ClusterMember> cluster = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            cluster.add(new ClusterMember(
                    "n" + (i + 1), "127.0.0.1:" + (raftPort + i), Optional.of("http://127.0.0.1:" + (adminPort + i))));
        }
        PolicyConfig policy = new PolicyConfig(null, null, null, "allow");
        NettyRuntime netty = new NettyRuntime(2);
        List<CompletableFuture<Replica>> starting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            BakeguardConfig c = new BakeguardConfig(
                    new NodeConfig("n" + (i + 1), dir.resolve("n" + (i + 1)).toAbsolutePath()),
                    cluster,
                    new SignerConfig(
                            "127.0.0.1:" + (signerPort + i),
                            null,
                            null,
                            // Three replicas share one JVM and a laptop: a roomier deadline than 2 s.
                            java.time.Duration.ofSeconds(5),
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            2),
                    new AdminConfig("127.0.0.1:" + (adminPort + i), null, null, null, null),
                    new RaftConfig(null, null, null),
                    List.of(new KeyEntry(
                            Optional.of(keyFile.toAbsolutePath()), null, null, null, null, null, Optional.of(policy))));
            // Replicas start in parallel: a Raft peer may wait for the others while it starts.
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    KeyRing keys = KeyLoader.load(c, "the demo config", Map.of());
                    return Replica.start(c, "the demo config", keys, netty, Map.of());
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }));
        }
        List<Replica> replicas = new ArrayList<>();
        Exception failure = null;
        for (CompletableFuture<Replica> f : starting) {
            try {
                replicas.add(f.get());
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable t = e.getCause() instanceof java.util.concurrent.CompletionException ce
                        ? ce.getCause()
                        : e.getCause();
                failure = t instanceof Exception ex ? ex : new Exception(t);
            }
        }
        if (failure != null) {
            replicas.forEach(Replica::close);
            netty.close();
            throw new Bakeguard.UserException("the demo could not start: " + failure.getMessage()
                    + " (are ports " + signerPort + "-" + (signerPort + 2) + ", " + adminPort + "-" + (adminPort + 2)
                    + " and " + raftPort + "-" + (raftPort + 2) + " free?)");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            replicas.forEach(Replica::close);
                            netty.close();
                            stopped.countDown();
                        },
                        "bakeguard-demo-shutdown"));
        System.out.println(instructions(pkh, keyFile, fresh));
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** A Tenderbake attestation (tag 21) on the demo chain: spec/tezos-remote-signer.md s.3. */
    static String attestationHex(int level, int payloadByte) {
        StringBuilder sb = new StringBuilder("13").append(DEMO_CHAIN_HEX);
        sb.append("00".repeat(32)); // branch
        sb.append("15").append("0000"); // tag 21, slot 0
        sb.append(String.format("%08x", level)).append("00000000"); // level, round 0
        sb.append(HexFormat.of().toHexDigits((byte) payloadByte).repeat(32)); // block payload hash
        return sb.toString();
    }

    private String instructions(String pkh, Path keyFile, boolean fresh) {
        String s1 = "http://127.0.0.1:" + signerPort;
        String s2 = "http://127.0.0.1:" + (signerPort + 1);
        String a1 = "http://127.0.0.1:" + adminPort;
        StringBuilder b = new StringBuilder();
        b.append("\nBakeguard demo: three replicas on 127.0.0.1 (Raft ports ")
                .append(raftPort)
                .append('-')
                .append(raftPort + 2)
                .append(")\n");
        for (int i = 0; i < 3; i++) {
            b.append("  n")
                    .append(i + 1)
                    .append(": signer http://127.0.0.1:")
                    .append(signerPort + i)
                    .append("   admin http://127.0.0.1:")
                    .append(adminPort + i)
                    .append('\n');
        }
        b.append("  key ")
                .append(pkh)
                .append(fresh ? " (new" : " (from the previous run")
                .append(", ")
                .append(keyFile)
                .append("; first use allowed, for the demo only)\n\n");
        b.append("Public key:\n  curl -s ")
                .append(s1)
                .append("/keys/")
                .append(pkh)
                .append("\n\n");
        b.append("Sign an attestation at level 1 (again: the same signature comes back):\n");
        b.append("  curl -s -X POST -H 'Content-Type: application/json' -d '\"")
                .append(attestationHex(1, 0xaa))
                .append("\"' ")
                .append(s1)
                .append("/keys/")
                .append(pkh)
                .append("\n\n");
        b.append("Other bytes at the same level and round, on another replica (refused with 409):\n");
        b.append("  curl -s -X POST -H 'Content-Type: application/json' -d '\"")
                .append(attestationHex(1, 0xbb))
                .append("\"' ")
                .append(s2)
                .append("/keys/")
                .append(pkh)
                .append("\n\n");
        b.append("With octez-client:\n");
        b.append("  octez-client import secret key bakeguard-demo ")
                .append(s1)
                .append('/')
                .append(pkh)
                .append('\n');
        b.append("  octez-client sign bytes 0x").append(attestationHex(2, 0xcc)).append(" for bakeguard-demo\n\n");
        b.append("The cluster:\n");
        b.append("  curl -s ").append(a1).append("/admin/status\n");
        b.append("  curl -s ").append(a1).append("/admin/log\n");
        b.append("  curl -s ").append(a1).append("/metrics | grep ^bakeguard_\n\n");
        b.append("Stop with Ctrl-C; the key and the watermarks stay in ")
                .append(dir)
                .append('\n');
        return b.toString();
    }
}
