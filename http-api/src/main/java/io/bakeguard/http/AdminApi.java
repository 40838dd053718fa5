package io.bakeguard.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bakeguard.core.crypto.Base58Check;
import io.bakeguard.core.crypto.Base58Exception;
import io.bakeguard.core.crypto.Prefix;
import io.bakeguard.core.key.KeyHashes;
import io.bakeguard.core.watermark.BucketKey;
import io.bakeguard.core.watermark.Decision;
import io.bakeguard.core.watermark.Floor;
import io.bakeguard.core.watermark.KeyChain;
import io.bakeguard.core.watermark.Watermark;
import io.bakeguard.core.watermark.WatermarkKind;
import io.bakeguard.raft.ClusterStatus;
import io.bakeguard.raft.GuardResult;
import io.bakeguard.raft.LogFilter;
import io.bakeguard.raft.LogRecord;
import io.bakeguard.raft.WatermarkGuard;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The admin API (design.md s.5), JSON everywhere; the ops commands are its client. Mutating
 * endpoints require {@code Authorization: Bearer <token>} when a token is configured.
 */
public final class AdminApi implements HttpService {
    /** Mainnet's chain id, also accepted as {@code mainnet}. */
    public static final String MAINNET = "NetXdQprcVkpaWU";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LOG_LIMIT = 10_000;

    private final WatermarkGuard guard;
    private final SignerMetrics metrics;
    private final ExecutorService executor;
    private final Optional<byte[]> token;
    private final Duration timeout;
    private final Clock clock;
    private final Map<String, String> adminUrls;

    /**
     * @param adminUrls the admin API URL of each cluster member as configured ({@code cluster[].admin}),
     *     shown in {@code /admin/status} so that the ops commands can reach every replica
     */
    public AdminApi(
            WatermarkGuard guard,
            SignerMetrics metrics,
            ExecutorService executor,
            Optional<String> token,
            Duration timeout,
            Clock clock,
            Map<String, String> adminUrls) {
        this.adminUrls = Map.copyOf(adminUrls);
        this.guard = guard;
        this.metrics = metrics;
        this.executor = executor;
        this.token = token.map(t -> ("Bearer " + t).getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
        this.clock = clock;
    }

    /** A failure with its status, turned into {@code {"error": ...}}. */
    static final class ApiError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        ApiError(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    @Override
    public CompletableFuture<HttpReply> handle(HttpCall call) {
        String m = call.method();
        String p = call.path();
        boolean mutating = !m.equals("GET") && !m.equals("HEAD");
        if (mutating && token.isPresent()) {
            byte[] given = call.authorization().orElse("").getBytes(StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(given, token.get())) {
                return done(error(401, "this endpoint needs Authorization: Bearer <token> (admin.token-file)"));
            }
        }
        try {
            return CompletableFuture.supplyAsync(() -> route(m, p, call), executor)
                    .thenCompose(f -> f)
                    .exceptionally(AdminApi::errorReply);
        } catch (RejectedExecutionException e) {
            return done(busy());
        }
    }

    private CompletableFuture<HttpReply> route(String m, String p, HttpCall call) {
        switch (p) {
            case "/healthz":
                return get(m, () -> ok(JSON.createObjectNode().put("status", "alive")));
            case "/readyz":
                return get(m, () -> {
                    boolean ready = guard.canCommitNow(Math.min(timeout.toMillis(), 2000));
                    return json(ready ? 200 : 503, JSON.createObjectNode().put("ready", ready));
                });
            case "/metrics":
                return get(m, () -> HttpReply.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
            case "/admin/status":
                return get(m, () -> {
                    ObjectNode o = status(guard.status(), adminUrls);
                    guard.watermarkLogDamage().ifPresent(d -> o.put("watermark_log_damage", d));
                    return ok(o);
                });
            case "/admin/watermarks":
                if (!m.equals("GET")) {
                    return done(notAllowed(m, p));
                }
                return watermarks(call);
            case "/admin/log":
                return get(m, () -> ok(log(call)));
            case "/admin/log/hash":
                return get(m, () -> logHash(call));
            case "/admin/peers":
                if (!m.equals("POST")) {
                    return done(notAllowed(m, p));
                }
                return addPeer(call);
            case "/admin/leader":
                if (!m.equals("POST")) {
                    return done(notAllowed(m, p));
                }
                return transfer(call);
            case "/admin/snapshot":
                if (!m.equals("POST")) {
                    return done(notAllowed(m, p));
                }
                return bounded(guard.snapshot())
                        .thenApply(i -> ok(JSON.createObjectNode().put("snapshot_index", i)));
            case "/admin/watermarks/raise":
                if (!m.equals("POST")) {
                    return done(notAllowed(m, p));
                }
                return raise(call);
            case "/admin/watermarks/import":
                if (!m.equals("POST")) {
                    return done(notAllowed(m, p));
                }
                return importMarks(call);
            default:
                if (p.startsWith("/admin/peers/") && p.length() > 13 && p.indexOf('/', 13) < 0) {
                    if (!m.equals("DELETE")) {
                        return done(notAllowed(m, p));
                    }
                    String id = p.substring(13);
                    return bounded(guard.removePeer(id))
                            .thenApply(v -> ok(JSON.createObjectNode().put("removed", id)));
                }
                return done(error(404, "no admin endpoint " + clip(p)));
        }
    }

    static ObjectNode status(ClusterStatus s, Map<String, String> adminUrls) {
        ObjectNode o = JSON.createObjectNode();
        o.put("self_id", s.selfId());
        o.put("role", s.role());
        s.leaderId().ifPresentOrElse(l -> o.put("leader_id", l), () -> o.putNull("leader_id"));
        o.put("term", s.term());
        o.put("commit_index", s.commitIndex());
        o.put("applied_index", s.appliedIndex());
        o.put("history_start_index", s.historyStartIndex());
        Optional.ofNullable(AdminApi.class.getPackage().getImplementationVersion())
                .ifPresent(v -> o.put("version", v));
        ArrayNode peers = o.putArray("peers");
        for (ClusterStatus.Peer peer : s.peers()) {
            ObjectNode n = peers.addObject();
            n.put("id", peer.id());
            n.put("raft_address", peer.raftAddress());
            Optional.ofNullable(adminUrls.get(peer.id())).ifPresent(a -> n.put("admin", a));
            peer.matchIndex().ifPresent(v -> n.put("match_index", v));
            peer.lastContactMillisAgo().ifPresent(v -> n.put("last_contact_ms_ago", v));
        }
        return o;
    }

    private CompletableFuture<HttpReply> watermarks(HttpCall call) {
        Optional<String> key = call.param("key");
        Optional<String> chain = call.param("chain").map(AdminApi::chainAlias);
        CompletableFuture<Map<BucketKey, Watermark>> marks = bounded(guard.watermarks());
        CompletableFuture<Map<KeyChain, Floor>> floors = bounded(guard.floors());
        return marks.thenCombine(floors, (ms, fs) -> {
            metrics.watermarks(ms);
            ObjectNode o = JSON.createObjectNode();
            ArrayNode arr = o.putArray("watermarks");
            ms.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
                BucketKey b = e.getKey();
                if (key.filter(k -> !k.equals(b.keyHash())).isPresent()
                        || chain.filter(c -> !c.equals(b.chainId())).isPresent()) {
                    return;
                }
                Watermark w = e.getValue();
                ObjectNode n = arr.addObject();
                n.put("key", b.keyHash());
                n.put("chain", b.chainId());
                n.put("kind", b.kind().octezName());
                n.put("level", w.level());
                n.put("round", w.round());
                n.put("digest", w.digestHex());
                n.put("signed", w.signature().isPresent());
                w.signature().ifPresent(sig -> n.put("signature", sig));
            });
            ArrayNode fl = o.putArray("floors");
            fs.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
                KeyChain kc = e.getKey();
                if (key.filter(k -> !k.equals(kc.keyHash())).isPresent()
                        || chain.filter(c -> !c.equals(kc.chainId())).isPresent()) {
                    return;
                }
                ObjectNode n = fl.addObject();
                n.put("key", kc.keyHash());
                n.put("chain", kc.chainId());
                n.put("level", e.getValue().level());
                e.getValue().round().ifPresent(r -> n.put("round", r));
            });
            return ok(o);
        });
    }

    private ObjectNode log(HttpCall call) {
        int limit = intParam(call, "limit").orElse(100);
        if (limit < 1 || limit > MAX_LOG_LIMIT) {
            throw new ApiError(400, "limit must be between 1 and " + MAX_LOG_LIMIT);
        }
        Optional<Integer> since = intParam(call, "since");
        Optional<Long> after = call.param("after").map(a -> parseLong("after", a));
        LogFilter f = new LogFilter(
                call.param("key"),
                call.param("kind"),
                since,
                Optional.empty(),
                after.orElse(0L),
                limit,
                after.isEmpty());
        String history = call.param("history").orElse("current");
        if (!history.equals("current") && !history.equals("all")) {
            throw new ApiError(400, "history must be current or all");
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("history_start_index", guard.status().historyStartIndex());
        ArrayNode earlier = o.putArray("earlier_histories");
        for (WatermarkGuard.EarlierHistory h : guard.earlierHistories()) {
            earlier.addObject()
                    .put("file", h.file())
                    .put("start_index", h.startIndex())
                    .put("bytes", h.bytes());
        }
        ArrayNode arr = o.putArray("records");
        for (LogRecord r : guard.log(f, history.equals("all"))) {
            arr.add(record(r));
        }
        return o;
    }

    static ObjectNode record(LogRecord r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("index", r.index());
        n.put("term", r.term());
        n.put("time_ms", r.timeMillis());
        n.put("proposer", r.proposer());
        n.put("entry", r.entry());
        r.keyHash().ifPresent(v -> n.put("key", v));
        r.chainId().ifPresent(v -> n.put("chain", v));
        n.put("kind", r.kind());
        n.put("level", r.level());
        n.put("round", r.round());
        r.digestHex().ifPresent(v -> n.put("digest", v));
        n.put("decision", r.decision());
        r.reason().ifPresent(v -> n.put("reason", v));
        n.put("previous_hash", r.previousHash());
        n.put("hash", r.hash());
        return n;
    }

    private HttpReply logHash(HttpCall call) {
        long index = call.param("index")
                .map(v -> parseLong("index", v))
                .orElseThrow(() -> new ApiError(400, "give ?index=N"));
        return guard.logHashAt(index)
                .map(h -> ok(JSON.createObjectNode().put("index", index).put("hash", h)))
                .orElseGet(() -> error(
                        404,
                        "this replica does not hold log index " + index + " (history starts at "
                                + guard.status().historyStartIndex() + ")"));
    }

    private CompletableFuture<HttpReply> addPeer(HttpCall call) {
        JsonNode b = body(call);
        String id = text(b, "id");
        String address = text(b, "address");
        return bounded(guard.addPeer(id, address))
                .thenApply(v -> ok(JSON.createObjectNode().put("added", id).put("address", address)));
    }

    private CompletableFuture<HttpReply> transfer(HttpCall call) {
        String id = text(body(call), "id");
        return bounded(guard.transferLeadership(id))
                .thenApply(v -> ok(JSON.createObjectNode().put("leader", id)));
    }

    private CompletableFuture<HttpReply> raise(HttpCall call) {
        JsonNode b = body(call);
        String key = pkh(text(b, "key"));
        String chain = chainId(text(b, "chain"));
        int level = intField(b, "level").orElseThrow(() -> new ApiError(400, "missing field 'level'"));
        Optional<Integer> round = intField(b, "round");
        boolean dryRun = b.path("dry_run").asBoolean(false);
        Floor floor = new Floor(level, round);
        KeyChain kc = new KeyChain(key, chain);
        if (dryRun) {
            return bounded(guard.floors()).thenApply(fs -> {
                Optional<Floor> current = Optional.ofNullable(fs.get(kc));
                ObjectNode o = JSON.createObjectNode();
                o.put("dry_run", true);
                o.put("key", key).put("chain", chain);
                o.put("current", current.map(Floor::toString).orElse("none"));
                o.put("new", floor.toString());
                o.put("would_raise", current.map(floor::above).orElse(true));
                return ok(o);
            });
        }
        return bounded(guard.raiseFloor(kc, floor, clock.instant().plus(timeout)))
                .thenApply(r -> decided(
                        r,
                        JSON.createObjectNode()
                                .put("key", key)
                                .put("chain", chain)
                                .put("floor", floor.toString())));
    }

    private CompletableFuture<HttpReply> importMarks(HttpCall call) {
        JsonNode b = body(call);
        JsonNode arr = b.get("marks");
        if (arr == null || !arr.isArray()) {
            throw new ApiError(400, "missing array field 'marks'");
        }
        Map<BucketKey, Watermark> marks = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode m : arr) {
            String at = "marks[" + i++ + "].";
            String key = pkh(text(m, "key"));
            String chain = chainId(text(m, "chain"));
            WatermarkKind kind = WatermarkKind.ofOctezName(text(m, "kind"))
                    .orElseThrow(() -> new ApiError(
                            400, at + "kind must be block, preattestation, attestation" + " or endorsement"));
            int level = intField(m, "level").orElseThrow(() -> new ApiError(400, at + "level is missing"));
            int round = intField(m, "round").orElse(0);
            String digest = Optional.ofNullable(m.get("hash"))
                    .filter(JsonNode::isTextual)
                    .map(h -> digestHex(h.asText(), at))
                    .orElse("0".repeat(64));
            Optional<String> sig = Optional.ofNullable(m.get("signature"))
                    .filter(JsonNode::isTextual)
                    .map(JsonNode::asText);
            BucketKey bucket = new BucketKey(key, chain, kind);
            Watermark w = new Watermark(level, round, digest, sig);
            Watermark prev = marks.get(bucket);
            if (prev == null || Watermark.above(level, round, prev.level(), prev.round())) {
                marks.put(bucket, w);
            }
        }
        boolean dryRun = b.path("dry_run").asBoolean(false);
        if (dryRun) {
            return bounded(guard.watermarks()).thenApply(current -> {
                ObjectNode o = JSON.createObjectNode();
                o.put("dry_run", true);
                ArrayNode out = o.putArray("marks");
                marks.forEach((bucket, w) -> {
                    Watermark cur = current.get(bucket);
                    ObjectNode n = out.addObject();
                    n.put("key", bucket.keyHash()).put("chain", bucket.chainId());
                    n.put("kind", bucket.kind().octezName());
                    n.put("level", w.level()).put("round", w.round());
                    n.put("current", cur == null ? "none" : "(" + cur.level() + "," + cur.round() + ")");
                    n.put(
                            "would_raise",
                            cur == null || Watermark.above(w.level(), w.round(), cur.level(), cur.round()));
                });
                return ok(o);
            });
        }
        return bounded(guard.importMarks(marks, clock.instant().plus(timeout)))
                .thenApply(r -> decided(r, JSON.createObjectNode().put("marks", marks.size())));
    }

    private static HttpReply decided(GuardResult r, ObjectNode o) {
        if (r instanceof GuardResult.NoQuorum nq) {
            return error(503, "no quorum: " + nq.reason());
        }
        GuardResult.Decided d = (GuardResult.Decided) r;
        o.put("log_index", d.logIndex());
        if (d.decision() instanceof Decision.Refused refused) {
            o.put("changed", false);
            o.put("reason", refused.message());
            return json(409, o);
        }
        o.put("changed", true);
        return ok(o);
    }

    private String digestHex(String h, String at) {
        if (h.matches("[0-9a-fA-F]{64}")) {
            return h.toLowerCase(java.util.Locale.ROOT);
        }
        try {
            Base58Check.Decoded d = Base58Check.decodeAny(h);
            if (d.payload().length == 32) {
                return HexFormat.of().formatHex(d.payload());
            }
        } catch (Base58Exception e) {
            // falls through to the error below
        }
        throw new ApiError(400, at + "hash must be 64 hex digits or a base58 32-byte hash");
    }

    private static String chainAlias(String c) {
        return c.equals("mainnet") ? MAINNET : c;
    }

    private static String chainId(String c) {
        String id = chainAlias(c);
        try {
            Base58Check.decode(id, Prefix.CHAIN_ID);
        } catch (Base58Exception e) {
            throw new ApiError(400, "'" + clip(c) + "' is not a chain id (Net... or mainnet)");
        }
        return id;
    }

    private static String pkh(String k) {
        if (!KeyHashes.isValid(k)) {
            throw new ApiError(400, "'" + clip(k) + "' is not a public key hash (tz1..tz4)");
        }
        return k;
    }

    private static JsonNode body(HttpCall call) {
        try {
            JsonNode n = JSON.readTree(call.body());
            if (n == null || !n.isObject()) {
                throw new ApiError(400, "the body must be a JSON object");
            }
            return n;
        } catch (java.io.IOException e) {
            throw new ApiError(400, "the body is not valid JSON");
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new ApiError(400, "missing text field '" + field + "'");
        }
        return v.asText();
    }

    private static Optional<Integer> intField(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isInt()) {
            throw new ApiError(400, "field '" + field + "' must be an integer (int32)");
        }
        return Optional.of(v.intValue());
    }

    private static Optional<Integer> intParam(HttpCall call, String name) {
        return call.param(name).map(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new ApiError(400, name + " must be an integer");
            }
        });
    }

    private static long parseLong(String name, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ApiError(400, name + " must be an integer");
        }
    }

    private <T> CompletableFuture<T> bounded(CompletableFuture<T> f) {
        return f.orTimeout(timeout.toMillis() * 5, TimeUnit.MILLISECONDS);
    }

    private static CompletableFuture<HttpReply> get(String m, java.util.function.Supplier<HttpReply> s) {
        if (!m.equals("GET") && !m.equals("HEAD")) {
            return done(error(405, "method " + clip(m) + " not allowed here"));
        }
        return done(s.get());
    }

    private static HttpReply errorReply(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ApiError a) {
            return error(a.status, a.getMessage());
        }
        if (t instanceof TimeoutException) {
            return error(503, "the cluster did not answer in time");
        }
        if (clusterUnavailable(t)) {
            // No leader, read index or leadership trouble: retryable, like a signing request's 503.
            return error(503, "cluster not available now, retry: " + (t.getMessage() != null ? t.getMessage() : t));
        }
        return error(
                t instanceof IllegalArgumentException || t instanceof IllegalStateException ? 409 : 500,
                t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
    }

    private static boolean clusterUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String n = t.getClass().getName();
            if (n.startsWith("org.apache.ratis.") || n.equals("io.bakeguard.raft.NoQuorumException")) {
                return true;
            }
            if (t.getCause() == null && t.getMessage() != null && t.getMessage().contains("Leader is unknown")) {
                return true;
            }
        }
        return false;
    }

    private static HttpReply notAllowed(String m, String p) {
        return error(405, "method " + clip(m) + " not allowed on " + clip(p));
    }

    private static HttpReply ok(ObjectNode o) {
        return json(200, o);
    }

    private static HttpReply json(int status, ObjectNode o) {
        return HttpReply.json(status, o.toString());
    }

    static HttpReply error(int status, String msg) {
        return json(status, JSON.createObjectNode().put("error", msg));
    }

    @Override
    public HttpReply tooLarge(int limitBytes) {
        return error(413, "request body over " + limitBytes + " bytes").closing();
    }

    @Override
    public HttpReply malformed(String why) {
        return error(400, why);
    }

    @Override
    public HttpReply busy() {
        return error(503, "admin API busy, retry");
    }

    private static CompletableFuture<HttpReply> done(HttpReply r) {
        return CompletableFuture.completedFuture(r);
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
