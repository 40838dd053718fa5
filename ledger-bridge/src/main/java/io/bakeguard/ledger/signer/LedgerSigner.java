package io.bakeguard.ledger.signer;

import io.bakeguard.core.crypto.Blake2b;
import io.bakeguard.core.key.Curve;
import io.bakeguard.core.key.KeyFormatException;
import io.bakeguard.core.key.PublicKey;
import io.bakeguard.core.signer.SignatureVersion;
import io.bakeguard.core.signer.Signer;
import io.bakeguard.core.signer.SigningException;
import io.bakeguard.ledger.apdu.TransportException;
import io.bakeguard.ledger.app.AuthorizedKey;
import io.bakeguard.ledger.app.DeviceKey;
import io.bakeguard.ledger.app.DeviceSignatures;
import io.bakeguard.ledger.app.LedgerException;
import io.bakeguard.ledger.app.TezosBakingApp;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Signer} backed by a Ledger running the Tezos Baking app (spec/ledger-baking-apdu.md s.8.1
 * layer 5). It is called only after the cluster granted a request.
 *
 * <ul>
 *   <li>One owner thread per device: every exchange (signatures, probes, reconnects) runs on it, so
 *       device exchanges are strictly serialised (s.6 threading model).
 *   <li>Sessions are identified by the root key at {@code 44'/1729'}, the Baking app class and the
 *       configured key; after an unplug, app switch or lock the signer reconnects with exponential
 *       backoff and identifies the device again.
 *   <li>Signatures are cached by digest of the exact bytes: a retry of identical bytes gets the
 *       cached signature and never causes a second device signature (s.8.2). A retry whose first reply
 *       was lost finds the device's HWM moved and gets a clean {@link LedgerException.HwmRefused}.
 *   <li>A message over the app's 235-byte limit is refused before any I/O.
 * </ul>
 */
public final class LedgerSigner implements Signer {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerSigner.class);

    /**
     * Tuning.
     *
     * @param exchangeTimeout per APDU
     * @param signTimeout how long {@link #sign} waits in total (queueing, reconnects, device)
     * @param backoffInitial first reconnect delay; doubled after each failure up to {@code backoffMax}
     * @param backoffMax longest reconnect delay
     * @param probeInterval how often an idle session is probed (VERSION) and a lost one retried
     * @param cacheSize signatures kept for identical retries
     */
    public record Options(
            Duration exchangeTimeout,
            Duration signTimeout,
            Duration backoffInitial,
            Duration backoffMax,
            Duration probeInterval,
            int cacheSize) {
        public static Options defaults() {
            return new Options(
                    Duration.ofMillis(1500),
                    Duration.ofSeconds(5),
                    Duration.ofMillis(100),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(2),
                    4096);
        }

        public Options withSignTimeout(Duration d) {
            return new Options(exchangeTimeout, d, backoffInitial, backoffMax, probeInterval, cacheSize);
        }

        public Options withBackoff(Duration initial, Duration max) {
            return new Options(exchangeTimeout, signTimeout, initial, max, probeInterval, cacheSize);
        }

        public Options withExchangeTimeout(Duration d) {
            return new Options(d, signTimeout, backoffInitial, backoffMax, probeInterval, cacheSize);
        }

        public Options withProbeInterval(Duration d) {
            return new Options(exchangeTimeout, signTimeout, backoffInitial, backoffMax, d, cacheSize);
        }
    }

    private final LedgerUri uri;
    private final DeviceConnector connector;
    private final Options options;
    private final ScheduledExecutorService owner;
    private final SignatureCache cache;
    private final DeviceKey key;
    private final PublicKey verifier;
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();

    // Owned by the owner thread.
    private DeviceSession session;
    private long nextAttemptNanos;
    private long backoffNanos;
    private long lastUseNanos;
    private int connectAttempts;
    private int sessionsOpened;

    private volatile boolean connected;
    private volatile String deviceLabel;
    private volatile Optional<LedgerException> lastError = Optional.empty();
    private volatile boolean closed;

    private LedgerSigner(
            LedgerUri uri, DeviceConnector connector, Options options, DeviceKey key, DeviceSession first) {
        this.uri = uri;
        this.connector = connector;
        this.options = options;
        this.key = key;
        try {
            this.verifier = PublicKey.parse(key.publicKey());
        } catch (KeyFormatException e) {
            throw new IllegalStateException("the device returned an invalid public key " + key.publicKey(), e);
        }
        this.cache = new SignatureCache(options.cacheSize());
        this.session = first;
        this.deviceLabel = first.label();
        this.connected = true;
        this.sessionsOpened = 1;
        this.backoffNanos = options.backoffInitial().toNanos();
        this.lastUseNanos = System.nanoTime();
        this.owner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ledger-" + uri.device());
            t.setDaemon(true);
            return t;
        });
        long probe = options.probeInterval().toMillis();
        owner.scheduleWithFixedDelay(this::probe, probe, probe, TimeUnit.MILLISECONDS);
    }

    /**
     * Connects to the device the URI names, checks it and reads the key. Blocks up to the sign
     * timeout; the device must be present, unlocked and in the Baking app at start.
     *
     * @throws LedgerException when no such device can be used now (the message says what to do)
     */
    public static LedgerSigner open(LedgerUri uri, DeviceConnector connector, Options options) throws LedgerException {
        DeviceSession s = DeviceSession.open(connector, uri.device(), options.exchangeTimeout());
        try {
            DeviceKey k = s.app().getPublicKey(uri.curve(), uri.path());
            Optional<AuthorizedKey> auth = s.app().queryAuthKeyWithCurve();
            if (auth.isEmpty()
                    || auth.get().curve() != uri.curve()
                    || !auth.get().path().equals(uri.path())) {
                LOG.warn(
                        "Ledger {}: {} {} is not the device's authorized baking key ({}); it will refuse to sign"
                                + " until `setup` authorizes it",
                        uri.device(),
                        uri.curve().uriName(),
                        uri.path(),
                        auth.map(AuthorizedKey::toString).orElse("none"));
            }
            return new LedgerSigner(uri, connector, options, k, s);
        } catch (LedgerException e) {
            s.close();
            throw e;
        } catch (TransportException e) {
            s.close();
            throw new LedgerException.DeviceUnavailable(s.label() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String publicKeyHash() {
        return key.publicKeyHash();
    }

    @Override
    public String publicKey() {
        return key.publicKey();
    }

    @Override
    public Curve curve() {
        return key.tezosCurve();
    }

    public LedgerUri uri() {
        return uri;
    }

    /** True while a device session is open and its last exchange succeeded (for {@code bakeguard_ledger_connected}). */
    public boolean connected() {
        return connected;
    }

    /** The device label for the metric: the URI's device part (stable across replugs). */
    public String deviceLabel() {
        return uri.device().toString();
    }

    /** Where the device currently is (HID path or address); changes on replug. */
    public String devicePath() {
        return deviceLabel;
    }

    /** Why the device is not connected, when it is not. */
    public Optional<LedgerException> lastError() {
        return lastError;
    }

    /** Called with the new value whenever {@link #connected()} changes (on the owner thread). */
    public void onConnectedChange(Consumer<Boolean> listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    @Override
    public String sign(byte[] data, SignatureVersion version) throws SigningException {
        TezosBakingApp.checkMessage(data);
        String digest = Blake2b.hash256Hex(data);
        Optional<String> cached = cache.get(digest);
        if (cached.isPresent()) {
            return cached.get();
        }
        long deadline = System.nanoTime() + options.signTimeout().toNanos();
        byte[] copy = data.clone();
        return onOwner(() -> signOnOwner(copy, digest, inner(deadline)), deadline, "signature");
    }

    /**
     * octez's {@code deterministic_nonce} through the device's HMAC instruction (spec s.3.7).
     */
    public byte[] deterministicNonce(byte[] data) throws SigningException {
        long deadline = System.nanoTime() + options.signTimeout().toNanos();
        byte[] copy = data.clone();
        return onOwner(
                () -> withSession(inner(deadline), s -> s.app().hmac(uri.curve(), uri.path(), copy)),
                deadline,
                "nonce");
    }

    /** blake2b-256 of {@link #deterministicNonce}, as octez's {@code deterministic_nonce_hash}. */
    public byte[] deterministicNonceHash(byte[] data) throws SigningException {
        return Blake2b.hash256(deterministicNonce(data));
    }

    /** Runs {@code op} on the device's owner thread with a live session (reconnecting if needed). */
    public <T> T withDevice(DeviceOperation<T> op) throws SigningException {
        long deadline = System.nanoTime() + options.signTimeout().toNanos();
        return onOwner(() -> withSession(inner(deadline), op), deadline, "device operation");
    }

    /** The owner's own deadline ends a little before the caller's, so the caller sees its typed error. */
    private long inner(long deadline) {
        long margin = Math.min(
                TimeUnit.MILLISECONDS.toNanos(50), options.signTimeout().toNanos() / 10);
        return deadline - margin;
    }

    /** Work done with an open session, on the owner thread. */
    @FunctionalInterface
    public interface DeviceOperation<T> {
        T run(DeviceSession session) throws LedgerException, TransportException;
    }

    private interface OwnerTask<T> {
        T call() throws SigningException;
    }

    private <T> T onOwner(OwnerTask<T> task, long deadline, String what) throws SigningException {
        if (closed) {
            throw new LedgerException.DeviceUnavailable("the Ledger signer for " + uri + " is closed");
        }
        Future<T> f;
        try {
            f = owner.submit(() -> {
                if (System.nanoTime() > deadline) {
                    // The caller gave up while this waited in the queue: do not touch the device.
                    throw new LedgerException.DeviceUnavailable(what + " abandoned: its deadline passed in the queue");
                }
                return task.call();
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new LedgerException.DeviceUnavailable("the Ledger signer for " + uri + " is closed");
        }
        try {
            return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // The owner thread finishes what it started; a signature that arrives late is cached.
            throw new LedgerException.DeviceUnavailable("no " + what + " from the Ledger within "
                    + options.signTimeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerException.DeviceUnavailable("interrupted while waiting for the Ledger");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SigningException se) {
                throw se;
            }
            throw new LedgerException.DeviceUnavailable("Ledger signer failure: " + e.getCause(), e.getCause());
        }
    }

    private String signOnOwner(byte[] data, String digest, long deadline) throws SigningException {
        Optional<String> cached = cache.get(digest);
        if (cached.isPresent()) {
            return cached.get(); // an identical request queued behind the first one
        }
        String sig = withSession(deadline, s -> {
            byte[] raw = s.app().signWithHash(uri.curve(), uri.path(), data);
            return DeviceSignatures.toBase58(uri.curve(), DeviceSignatures.toTezos(uri.curve(), raw));
        });
        // Never hand out a signature that does not verify (a faulty device, a wrong key behind a bridge).
        if (!verifier.verify(data, sig, SignatureVersion.LATEST)) {
            throw new LedgerException.DeviceFailure(
                    "the Ledger returned a signature that does not verify with " + key.publicKey(), -1);
        }
        cache.put(digest, sig);
        return sig;
    }

    /**
     * Runs {@code op} with a session. A transport failure drops the session; the signer then
     * reconnects with backoff and runs {@code op} once more, within the deadline. Running a signature
     * twice is safe: the device wrote its HWM before signing, so a message it already signed is
     * refused ({@code 6A80}), never signed a second time.
     */
    private <T> T withSession(long deadline, DeviceOperation<T> op) throws SigningException {
        for (int attempt = 0; ; attempt++) {
            DeviceSession s = ensureSession(deadline);
            try {
                T out = op.run(s);
                lastUseNanos = System.nanoTime();
                return out;
            } catch (TransportException e) {
                drop(new LedgerException.DeviceUnavailable(s.label() + ": " + e.getMessage(), e));
                if (attempt >= 1 || System.nanoTime() >= deadline) {
                    throw lastError.orElseThrow();
                }
            } catch (LedgerException.DeviceLocked
                    | LedgerException.AppNotOpen
                    | LedgerException.WrongApp
                    | LedgerException.DeviceUnavailable e) {
                drop(e);
                throw e;
            }
        }
    }

    /** Returns the open session, or connects, retrying with backoff until the deadline. */
    private DeviceSession ensureSession(long deadline) throws LedgerException {
        if (session != null) {
            return session;
        }
        while (true) {
            long now = System.nanoTime();
            if (lastError.isPresent() && needsHuman(lastError.get())) {
                // Locked, dashboard or another app: one immediate check, then fail fast with what we
                // see; waiting cannot help until a human acts, and the probe keeps watching.
                return connect();
            }
            if (now < nextAttemptNanos) {
                long wait = Math.min(nextAttemptNanos, deadline) - now;
                if (wait > 0) {
                    sleepNanos(wait);
                }
                if (System.nanoTime() < nextAttemptNanos) {
                    throw lastError.orElseGet(() -> new LedgerException.DeviceUnavailable("Ledger not connected"));
                }
            }
            try {
                return connect();
            } catch (LedgerException e) {
                if (needsHuman(e) || System.nanoTime() >= deadline) {
                    throw e;
                }
            }
        }
    }

    private static boolean needsHuman(LedgerException e) {
        return e instanceof LedgerException.DeviceLocked
                || e instanceof LedgerException.AppNotOpen
                || e instanceof LedgerException.WrongApp;
    }

    /** One connection attempt: on failure the next one is allowed after the (doubled) backoff. */
    private DeviceSession connect() throws LedgerException {
        connectAttempts++;
        try {
            DeviceSession s = DeviceSession.open(connector, uri.device(), options.exchangeTimeout());
            DeviceKey k;
            try {
                k = s.app().getPublicKey(uri.curve(), uri.path());
            } catch (TransportException e) {
                s.close();
                throw new LedgerException.DeviceUnavailable(s.label() + ": " + e.getMessage(), e);
            } catch (LedgerException e) {
                s.close();
                throw e;
            }
            if (!k.equals(key)) {
                s.close();
                throw new LedgerException.DeviceFailure(
                        "the Ledger " + uri.device() + " now derives " + k + " at " + uri.path() + ", not " + key, -1);
            }
            session = s;
            sessionsOpened++;
            deviceLabel = s.label();
            backoffNanos = options.backoffInitial().toNanos();
            nextAttemptNanos = 0;
            lastUseNanos = System.nanoTime();
            lastError = Optional.empty();
            setConnected(true);
            LOG.info("Ledger {} connected at {} ({})", uri.device(), s.label(), s.version());
            return s;
        } catch (LedgerException e) {
            lastError = Optional.of(e);
            nextAttemptNanos = System.nanoTime() + backoffNanos;
            backoffNanos = Math.min(backoffNanos * 2, options.backoffMax().toNanos());
            setConnected(false);
            throw e;
        }
    }

    private void drop(LedgerException why) {
        if (session != null) {
            LOG.warn("Ledger {} lost at {}: {}", uri.device(), session.label(), why.getMessage());
            session.close();
            session = null;
        }
        lastError = Optional.of(why);
        setConnected(false);
    }

    private void setConnected(boolean value) {
        if (connected != value) {
            connected = value;
            for (Consumer<Boolean> l : listeners) {
                try {
                    l.accept(value);
                } catch (RuntimeException e) {
                    LOG.warn("connected listener failed", e);
                }
            }
        }
    }

    /** Periodic, on the owner thread: retry a lost device; check an idle one still answers. */
    private void probe() {
        if (closed) {
            return;
        }
        try {
            if (session == null) {
                if (System.nanoTime() >= nextAttemptNanos) {
                    connect();
                }
                return;
            }
            if (System.nanoTime() - lastUseNanos >= options.probeInterval().toNanos()) {
                DeviceSession s = session;
                try {
                    if (!s.app().version().isBaking()) {
                        drop(new LedgerException.WrongApp("the Tezos Baking app is no longer in front"));
                        return;
                    }
                    lastUseNanos = System.nanoTime();
                } catch (TransportException e) {
                    drop(new LedgerException.DeviceUnavailable(s.label() + ": " + e.getMessage(), e));
                } catch (LedgerException e) {
                    drop(e);
                }
            }
        } catch (LedgerException e) {
            LOG.debug("Ledger {} still unavailable: {}", uri.device(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Ledger {} probe failed", uri.device(), e);
        }
    }

    private static void sleepNanos(long nanos) throws LedgerException.DeviceUnavailable {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerException.DeviceUnavailable("interrupted");
        }
    }

    /** Connection attempts made so far (tests check reconnects happen promptly). */
    public int connectAttempts() {
        return runOnOwnerQuietly(() -> connectAttempts);
    }

    /** Sessions opened so far (1 after {@link #open}; +1 per reconnect). */
    public int sessionsOpened() {
        return runOnOwnerQuietly(() -> sessionsOpened);
    }

    private int runOnOwnerQuietly(java.util.concurrent.Callable<Integer> c) {
        try {
            return owner.submit(c).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("owner thread unavailable", e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        owner.execute(() -> {
            if (session != null) {
                session.close();
                session = null;
            }
            setConnected(false);
        });
        owner.shutdown();
        try {
            if (!owner.awaitTermination(5, TimeUnit.SECONDS)) {
                owner.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            owner.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "LedgerSigner[" + uri + " " + key + "]";
    }
}
