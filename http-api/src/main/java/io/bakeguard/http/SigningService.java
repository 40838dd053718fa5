package io.bakeguard.http;

import io.bakeguard.core.crypto.Blake2b;
import io.bakeguard.core.key.KeyHashes;
import io.bakeguard.core.key.PublicKey;
import io.bakeguard.core.policy.PolicyDecision;
import io.bakeguard.core.request.Authentication;
import io.bakeguard.core.request.DecodingException;
import io.bakeguard.core.request.InvalidKeyHashException;
import io.bakeguard.core.request.MagicByte;
import io.bakeguard.core.request.RequestDecoder;
import io.bakeguard.core.request.SigningRequest;
import io.bakeguard.core.signer.SignatureVersion;
import io.bakeguard.core.signer.SigningException;
import io.bakeguard.core.watermark.BucketKey;
import io.bakeguard.core.watermark.Decision;
import io.bakeguard.core.watermark.Reservation;
import io.bakeguard.http.KeyRing.ManagedKey;
import io.bakeguard.http.SignResult.Failed;
import io.bakeguard.http.SignResult.Failure;
import io.bakeguard.raft.GuardResult;
import io.bakeguard.raft.WatermarkGuard;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing flow of one request, free of HTTP: authenticate, find the key, decode, check the
 * key's policy, reserve through the replicated guard (consensus kinds) or record the decision
 * (others), sign, answer, then store the signature. Nothing is signed unless the guard granted it
 * before the request deadline; the deadline is checked again right before the key is touched.
 * All blocking and CPU work runs on the bounded signing executor, never on a Netty event loop.
 */
public final class SigningService {
    private static final Logger DECISIONS = LoggerFactory.getLogger("io.bakeguard.decision");
    private static final Logger LOG = LoggerFactory.getLogger(SigningService.class);

    private final KeyRing keys;
    private final List<PublicKey> authorizedKeys;
    private final WatermarkGuard guard;
    private final ExecutorService executor;
    private final Duration requestTimeout;
    private final SignerMetrics metrics;
    private final Clock clock;

    public SigningService(
            KeyRing keys,
            List<PublicKey> authorizedKeys,
            WatermarkGuard guard,
            ExecutorService executor,
            Duration requestTimeout,
            SignerMetrics metrics,
            Clock clock) {
        this.keys = keys;
        this.authorizedKeys = List.copyOf(authorizedKeys);
        this.guard = guard;
        this.executor = executor;
        this.requestTimeout = requestTimeout;
        this.metrics = metrics;
        this.clock = clock;
    }

    public boolean authenticationRequired() {
        return !authorizedKeys.isEmpty();
    }

    /** The pkhs of the authorized keys, for {@code GET /authorized_keys}. */
    public List<String> authorizedKeyHashes() {
        return authorizedKeys.stream().map(PublicKey::hash).toList();
    }

    public KeyRing keys() {
        return keys;
    }

    /** Per-request state carried through the asynchronous steps. */
    private final class Attempt {
        final String pkh;
        final byte[] data;
        final long startNanos = System.nanoTime();
        final Instant deadline;
        String keyLabel = "unknown";
        String kind = "unknown";
        int level;
        int round;
        long consensusNanos = -1;

        Attempt(String pkh, byte[] data) {
            this.pkh = pkh;
            this.data = data;
            this.deadline = clock.instant().plus(requestTimeout);
        }

        boolean expired() {
            return !clock.instant().isBefore(deadline);
        }

        SignResult finish(SignResult r) {
            long total = System.nanoTime() - startNanos;
            SignerMetrics.Result res = r instanceof Failed f ? f.failure().result() : SignerMetrics.Result.SIGNED;
            metrics.request(keyLabel, kind, res);
            metrics.duration(kind, SignerMetrics.Phase.TOTAL, total);
            if (consensusNanos >= 0) {
                metrics.duration(kind, SignerMetrics.Phase.CONSENSUS, consensusNanos);
            }
            if (DECISIONS.isInfoEnabled()) {
                DECISIONS.info(
                        "key={} kind={} level={} round={} decision={} status={} latency_ms={}{}",
                        pkh.length() > 40 ? pkh.substring(0, 40) : pkh,
                        kind,
                        level,
                        round,
                        res.label(),
                        r instanceof Failed f ? f.failure().status() : 200,
                        TimeUnit.NANOSECONDS.toMillis(total),
                        r instanceof Failed f ? " reason=\"" + f.message().replace('"', '\'') + "\"" : "");
            }
            return r;
        }

        SignResult fail(Failure f, String message) {
            return finish(new Failed(f, message));
        }
    }

    /**
     * Signs {@code data} with key {@code pkh} if everything allows it.
     *
     * @param authentication the {@code authentication} query parameter
     * @param versionParam the {@code version} query parameter
     */
    public CompletableFuture<SignResult> sign(
            String pkh, byte[] data, Optional<String> authentication, Optional<String> versionParam) {
        Attempt a = new Attempt(pkh, data);
        try {
            return CompletableFuture.supplyAsync(() -> prepare(a, authentication, versionParam), executor)
                    .thenCompose(p -> p)
                    .exceptionally(e -> rootCause(e) instanceof RejectedExecutionException
                            ? a.fail(Failure.BUSY, "signer busy: too many requests in flight, retry; nothing signed")
                            : a.fail(Failure.SIGNER_ERROR, "internal error: " + rootMessage(e)));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(
                    a.fail(Failure.BUSY, "signer busy: too many requests in flight, retry"));
        }
    }

    private CompletableFuture<SignResult> prepare(
            Attempt a, Optional<String> authentication, Optional<String> versionParam) {
        SignatureVersion version = SignatureVersion.LATEST;
        if (versionParam.isPresent()) {
            Optional<SignatureVersion> v = SignatureVersion.parse(versionParam.get());
            if (v.isEmpty()) {
                return done(a.fail(
                        Failure.MALFORMED,
                        "invalid version parameter '" + clip(versionParam.get()) + "': expected 0, 1, 2 or 3"));
            }
            version = v.get();
        }
        if (!KeyHashes.isValid(a.pkh)) {
            return done(a.fail(Failure.MALFORMED, "invalid public key hash '" + clip(a.pkh) + "'"));
        }
        if (a.data.length == 0) {
            return done(a.fail(Failure.MALFORMED, "can't sign empty data"));
        }
        // spec/tezos-remote-signer.md s.1.5: authentication before the key lookup.
        if (!authorizedKeys.isEmpty()) {
            if (authentication.isEmpty()) {
                return done(a.fail(Failure.MISSING_AUTHENTICATION, "missing authentication signature field"));
            }
            if (!authenticated(a.pkh, a.data, authentication.get())) {
                return done(a.fail(Failure.BAD_AUTHENTICATION, "invalid authentication signature"));
            }
        }
        Optional<ManagedKey> key = keys.find(a.pkh);
        if (key.isEmpty()) {
            return done(a.fail(Failure.UNKNOWN_KEY, "no keys for the source contract " + a.pkh));
        }
        a.keyLabel = a.pkh;
        if ((a.data[0] & 0xff) == MagicByte.AUTHENTICATED_REQUEST.value()) {
            // Never sign authentication bytes: they would authenticate someone else's request.
            a.kind = "authenticated";
            return done(a.fail(Failure.POLICY, "magic byte 0x04 not allowed"));
        }
        SigningRequest request;
        try {
            request = RequestDecoder.decode(a.data);
        } catch (DecodingException e) {
            return done(a.fail(Failure.MALFORMED, "cannot decode the signing request: " + e.getMessage()));
        }
        a.kind = kindLabel(request);
        String digest = Blake2b.hash256Hex(a.data);
        ManagedKey k = key.get();
        PolicyDecision policy = k.policy().check(request, a.pkh);
        if (policy instanceof PolicyDecision.Refused refused) {
            guard.recordDecision(a.pkh, a.kind, digest, false, refused.reason(), a.deadline)
                    .whenComplete((r, e) -> logUnrecorded(a, r, e));
            return done(a.fail(Failure.POLICY, refused.reason()));
        }
        SignatureVersion v = version;
        if (request instanceof SigningRequest.Consensus c) {
            a.level = c.level();
            a.round = c.round();
            Reservation reservation =
                    new Reservation(new BucketKey(a.pkh, c.chainId(), c.kind()), c.level(), c.round(), digest);
            long t0 = System.nanoTime();
            return bounded(guard.reserve(reservation, k.policy().firstUse(), a.deadline))
                    .thenApplyAsync(
                            r -> {
                                a.consensusNanos = System.nanoTime() - t0;
                                return afterReserve(a, k, reservation, r, v);
                            },
                            executor);
        }
        return bounded(guard.recordDecision(a.pkh, a.kind, digest, true, "", a.deadline))
                .thenApplyAsync(
                        r -> {
                            if (r instanceof GuardResult.NoQuorum nq) {
                                return a.fail(Failure.NO_QUORUM, "no quorum: " + nq.reason() + "; nothing signed");
                            }
                            return signNow(a, k, v);
                        },
                        executor);
    }

    private SignResult afterReserve(
            Attempt a, ManagedKey k, Reservation reservation, GuardResult r, SignatureVersion version) {
        if (r instanceof GuardResult.NoQuorum nq) {
            return a.fail(Failure.NO_QUORUM, "no quorum: " + nq.reason() + "; nothing signed");
        }
        Decision d = ((GuardResult.Decided) r).decision();
        if (d instanceof Decision.Refused refused) {
            return a.fail(Failure.WATERMARK, refused.message());
        }
        if (d instanceof Decision.Repeat repeat && repeat.storedSignature().isPresent()) {
            // Same bytes at the same (level, round): return exactly what was returned before.
            return a.finish(new SignResult.Signed(repeat.storedSignature().get()));
        }
        SignResult result = signNow(a, k, version);
        if (result instanceof SignResult.Signed s) {
            guard.recordSignature(
                            reservation.bucket(),
                            reservation.level(),
                            reservation.round(),
                            reservation.digestHex(),
                            s.signature(),
                            clock.instant().plus(requestTimeout.multipliedBy(5)))
                    .whenComplete((rec, e) -> logUnrecorded(a, rec, e));
        }
        return result;
    }

    private SignResult signNow(Attempt a, ManagedKey k, SignatureVersion version) {
        if (a.expired()) {
            return a.fail(Failure.NO_QUORUM, "request deadline passed before signing; nothing signed");
        }
        long t0 = System.nanoTime();
        try {
            String sig = k.signer().sign(a.data, version);
            metrics.duration(a.kind, SignerMetrics.Phase.SIGN, System.nanoTime() - t0);
            return a.finish(new SignResult.Signed(sig));
        } catch (SigningException e) {
            return a.fail(Failure.SIGNER_ERROR, e.getMessage());
        }
    }

    /** Guard futures complete by the deadline by contract; this bounds them anyway. */
    private CompletableFuture<GuardResult> bounded(CompletableFuture<GuardResult> f) {
        return f.orTimeout(requestTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS)
                .exceptionally(e -> new GuardResult.NoQuorum(
                        rootCause(e) instanceof TimeoutException ? "no answer from the cluster" : rootMessage(e)));
    }

    private boolean authenticated(String pkh, byte[] data, String signature) {
        byte[] toCheck;
        try {
            toCheck = Authentication.bytesToSign(pkh, data);
        } catch (InvalidKeyHashException e) {
            return false;
        }
        for (PublicKey k : authorizedKeys) {
            try {
                if (k.verify(toCheck, signature, SignatureVersion.LATEST)) {
                    return true;
                }
            } catch (RuntimeException e) {
                LOG.debug("authentication signature check failed: {}", e.toString());
            }
        }
        return false;
    }

    private void logUnrecorded(Attempt a, GuardResult r, Throwable e) {
        if (e != null || r instanceof GuardResult.NoQuorum) {
            LOG.warn(
                    "key={} kind={} level={} round={}: could not record in the watermark log: {}",
                    a.pkh,
                    a.kind,
                    a.level,
                    a.round,
                    e != null ? rootMessage(e) : ((GuardResult.NoQuorum) r).reason());
        }
    }

    /** The {@code kind} label: the bucket kind for consensus requests, else the request family. */
    static String kindLabel(SigningRequest r) {
        if (r instanceof SigningRequest.Consensus c) {
            return c.kind().octezName();
        }
        if (r instanceof SigningRequest.GenericOperation) {
            return "generic";
        }
        return switch (r.magic()) {
            case MICHELINE -> "micheline";
            case AUTHENTICATED_REQUEST -> "authenticated";
            default -> "other";
        };
    }

    private static CompletableFuture<SignResult> done(SignResult r) {
        return CompletableFuture.completedFuture(r);
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = rootCause(e);
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
