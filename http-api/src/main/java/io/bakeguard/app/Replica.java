package io.bakeguard.app;

import io.bakeguard.app.config.BakeguardConfig;
import io.bakeguard.app.config.ConfigException;
import io.bakeguard.app.config.HostPort;
import io.bakeguard.core.key.KeyFormatException;
import io.bakeguard.core.key.PublicKey;
import io.bakeguard.http.AdminApi;
import io.bakeguard.http.HttpListener;
import io.bakeguard.http.KeyRing;
import io.bakeguard.http.SignerApi;
import io.bakeguard.http.SignerMetrics;
import io.bakeguard.http.SigningService;
import io.bakeguard.raft.WatermarkGuard;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica (design.md s.3): a Raft peer with its watermark guard, the signer API and the admin
 * API, wired from a validated config. {@code serve} runs one, {@code demo} three in one process.
 */
public final class Replica implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Replica.class);
    private static final int ADMIN_MAX_BODY = 1024 * 1024;

    private final String id;
    private final List<AutoCloseable> resources;
    private final HttpListener signer;
    private final HttpListener admin;

    private Replica(String id, List<AutoCloseable> resources, HttpListener signer, HttpListener admin) {
        this.id = id;
        this.resources = resources;
        this.signer = signer;
        this.admin = admin;
    }

    /**
     * Starts a replica. On failure everything started so far is closed again.
     *
     * @param file the config file name, for messages
     */
    public static Replica start(
            BakeguardConfig c, String file, KeyRing keys, NettyRuntime netty, Map<String, String> env)
            throws Exception {
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            return start(c, file, keys, netty, env, resources);
        } catch (Exception | Error e) {
            closeAll(resources);
            throw e;
        }
    }

    private static Replica start(
            BakeguardConfig c,
            String file,
            KeyRing keys,
            NettyRuntime netty,
            Map<String, String> env,
            List<AutoCloseable> resources)
            throws Exception {
        List<PublicKey> authorized = authorizedKeys(c, file);
        Optional<SslContext> ssl = signerTls(c, file);
        Optional<String> token = adminToken(c);
        HostPort signerAddress = HostPort.parse(c.signer().listen());
        HostPort adminAddress = HostPort.parse(c.admin().listen());

        resources.add(keys);
        warmUp(keys);
        WatermarkGuard guard = GuardFactory.start(c, file);
        resources.add(guard);
        SignerMetrics metrics = new SignerMetrics();
        resources.add(metrics);
        metrics.bindGuard(guard, GuardFactory.leaderChanges(guard));
        for (KeyRing.ManagedKey k : keys.all()) {
            if (k.signer() instanceof io.bakeguard.ledger.signer.LedgerSigner ledger) {
                metrics.ledgerDevice(ledger.deviceLabel(), ledger::connected);
            }
        }

        int threads = c.signer().signingThreads();
        ThreadPoolExecutor signing = new ThreadPoolExecutor(
                threads,
                threads,
                60,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(16, c.signer().maxInFlight() * 4)),
                new io.netty.util.concurrent.DefaultThreadFactory(
                        "signing-" + c.node().id(), true));
        resources.add(() -> shutdown(signing));
        ThreadPoolExecutor adminPool = new ThreadPoolExecutor(
                2,
                2,
                60,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(64),
                new io.netty.util.concurrent.DefaultThreadFactory(
                        "admin-" + c.node().id(), true));
        resources.add(() -> shutdown(adminPool));
        ScheduledExecutorService refresher =
                Executors.newSingleThreadScheduledExecutor(new io.netty.util.concurrent.DefaultThreadFactory(
                        "metrics-" + c.node().id(), true));
        resources.add(() -> shutdown(refresher));
        refresher.scheduleWithFixedDelay(
                () -> {
                    try {
                        metrics.watermarks(GuardFactory.localWatermarks(guard));
                    } catch (RuntimeException e) {
                        LOG.debug("watermark gauges not refreshed: {}", e.toString());
                    }
                },
                1,
                5,
                TimeUnit.SECONDS);

        SigningService service = new SigningService(
                keys, authorized, guard, signing, c.signer().requestTimeout(), metrics, Clock.systemUTC());
        SignerApi signerApi = new SignerApi(
                service, signing, c.signer().allowKnownKeys(), c.signer().allowProvePossession());
        Map<String, String> adminUrls = new java.util.LinkedHashMap<>();
        c.cluster().forEach(m -> m.admin().ifPresent(a -> adminUrls.put(m.id(), a)));
        AdminApi adminApi = new AdminApi(
                guard, metrics, adminPool, token, c.signer().requestTimeout(), Clock.systemUTC(), adminUrls);

        HttpListener signerListener = listen(
                file,
                () -> HttpListener.start(
                        "signer",
                        new InetSocketAddress(signerAddress.host(), signerAddress.port()),
                        ssl,
                        new HttpListener.Limits(
                                c.signer().maxConnections(),
                                c.signer().maxInFlight(),
                                SignerApi.MAX_BODY_BYTES,
                                c.signer().idleTimeout(),
                                c.signer().readTimeout()),
                        signerApi,
                        netty.boss(),
                        netty.workers()));
        resources.add(0, signerListener);
        HttpListener adminListener = listen(
                file,
                () -> HttpListener.start(
                        "admin",
                        new InetSocketAddress(adminAddress.host(), adminAddress.port()),
                        Optional.empty(),
                        new HttpListener.Limits(
                                c.admin().maxConnections(),
                                16,
                                ADMIN_MAX_BODY,
                                c.admin().idleTimeout(),
                                c.admin().readTimeout()),
                        adminApi,
                        netty.boss(),
                        netty.workers()));
        resources.add(0, adminListener);
        LOG.info(
                "replica={} signer={}{}:{} admin={}:{} keys={}",
                c.node().id(),
                ssl.isPresent() ? "https://" : "http://",
                signerListener.address().getHostString(),
                signerListener.address().getPort(),
                adminListener.address().getHostString(),
                adminListener.address().getPort(),
                keys.all().size());
        return new Replica(c.node().id(), resources, signerListener, adminListener);
    }

    /**
     * Signs a throwaway message with a throwaway key of each curve in use, so that the first real
     * request after a start does not pay for class loading and cold crypto code. No configured key
     * is touched.
     */
    private static void warmUp(KeyRing keys) {
        long t0 = System.nanoTime();
        keys.all().stream().map(k -> k.signer().curve()).distinct().forEach(curve -> {
            try {
                var key = io.bakeguard.core.key.SecretKey.generate(curve, new java.security.SecureRandom());
                byte[] msg = {0x03, 0x00};
                String sig = new io.bakeguard.core.signer.SoftwareSigner(key)
                        .sign(msg, io.bakeguard.core.signer.SignatureVersion.LATEST);
                key.publicKey().verify(msg, sig, io.bakeguard.core.signer.SignatureVersion.LATEST);
            } catch (Exception | LinkageError e) {
                LOG.warn("warm-up of {} signing failed: {}", curve.cliName(), e.toString());
            }
        });
        LOG.debug("signing warm-up took {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    public String id() {
        return id;
    }

    public InetSocketAddress signerAddress() {
        return signer.address();
    }

    public InetSocketAddress adminAddress() {
        return admin.address();
    }

    @Override
    public void close() {
        closeAll(resources);
        LOG.info("replica={} stopped", id);
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("while stopping: {}", e.toString());
            }
        }
        resources.clear();
    }

    /** A listener that cannot bind (a port in use, an address not on this host) is a one-line error naming it. */
    private static HttpListener listen(String file, java.util.concurrent.Callable<HttpListener> start)
            throws Exception {
        try {
            return start.call();
        } catch (java.io.IOException e) {
            throw new ConfigException(e.getMessage() + " (from " + file + ")", e);
        }
    }

    private static void shutdown(java.util.concurrent.ExecutorService e) throws InterruptedException {
        e.shutdown();
        if (!e.awaitTermination(5, TimeUnit.SECONDS)) {
            e.shutdownNow();
        }
    }

    private static List<PublicKey> authorizedKeys(BakeguardConfig c, String file) throws ConfigException {
        List<PublicKey> out = new ArrayList<>();
        List<String> keys = c.signer().authorizedKeys();
        for (int i = 0; i < keys.size(); i++) {
            try {
                out.add(PublicKey.parse(keys.get(i)));
            } catch (KeyFormatException e) {
                throw new ConfigException("bad value for 'signer.authorized-keys[" + i + "]' in " + file
                        + ": expected a public key (edpk, sppk, p2pk, BLpk): " + e.getMessage());
            }
        }
        return out;
    }

    private static Optional<SslContext> signerTls(BakeguardConfig c, String file) throws ConfigException {
        if (c.signer().tls().isEmpty()) {
            return Optional.empty();
        }
        var tls = c.signer().tls().get();
        SecretFiles.checkPermissions(tls.privateKey(), "TLS private key file");
        try {
            return Optional.of(SslContextBuilder.forServer(
                            tls.certificate().toFile(), tls.privateKey().toFile())
                    .build());
        } catch (Exception | Error e) {
            throw new ConfigException("bad value for 'signer.tls' in " + file + ": cannot use "
                    + tls.certificate() + " and " + tls.privateKey()
                    + " (PEM certificate chain and PKCS#8 PEM private key): " + e.getMessage());
        }
    }

    private static Optional<String> adminToken(BakeguardConfig c) throws ConfigException {
        if (c.admin().tokenFile().isEmpty()) {
            return Optional.empty();
        }
        String t = SecretFiles.read(c.admin().tokenFile().get(), "admin token file")
                .strip();
        if (t.length() < 16) {
            throw new ConfigException(
                    "admin token file " + c.admin().tokenFile().get()
                            + " holds a token shorter than 16 characters; write a longer random token");
        }
        return Optional.of(t);
    }
}
