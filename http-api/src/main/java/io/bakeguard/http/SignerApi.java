package io.bakeguard.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bakeguard.core.key.Curve;
import io.bakeguard.core.key.KeyFormatException;
import io.bakeguard.core.key.KeyHashes;
import io.bakeguard.core.key.PublicKey;
import io.bakeguard.core.signer.SigningException;
import io.bakeguard.http.KeyRing.ManagedKey;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * The Tezos remote signer API (design.md s.5, spec/tezos-remote-signer.md s.1). Thin: it parses
 * HTTP and JSON, calls {@link SigningService} and encodes the answer.
 */
public final class SignerApi implements HttpService {
    /** Bodies above this are refused (design.md s.5). */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final SigningService signing;
    private final ExecutorService executor;
    private final boolean allowKnownKeys;
    private final boolean allowProvePossession;
    private final String authorizedKeysBody;

    public SignerApi(
            SigningService signing, ExecutorService executor, boolean allowKnownKeys, boolean allowProvePossession) {
        this.signing = signing;
        this.executor = executor;
        this.allowKnownKeys = allowKnownKeys;
        this.allowProvePossession = allowProvePossession;
        ObjectNode body = JSON.createObjectNode();
        if (signing.authenticationRequired()) {
            signing.authorizedKeyHashes().forEach(body.putArray("authorized_keys")::add);
        }
        this.authorizedKeysBody = body.toString();
    }

    @Override
    public CompletableFuture<HttpReply> handle(HttpCall call) {
        String path = call.path();
        if (path.equals("/authorized_keys")) {
            return only("GET", call, () -> done(HttpReply.json(200, authorizedKeysBody)));
        }
        if (path.equals("/known_keys")) {
            return only("GET", call, this::knownKeys);
        }
        if (path.startsWith("/keys/") && path.indexOf('/', 6) < 0) {
            String pkh = path.substring(6);
            return switch (call.method()) {
                case "GET" -> done(publicKey(pkh));
                case "POST" -> sign(pkh, call);
                default -> done(notAllowed(call));
            };
        }
        if (path.startsWith("/bls_prove_possession/") && path.indexOf('/', 22) < 0) {
            return only("GET", call, () -> provePossession(path.substring(22), call.param("bls_pk")));
        }
        return done(OctezErrors.reply(404, "not found: " + clip(path)));
    }

    private CompletableFuture<HttpReply> sign(String pkh, HttpCall call) {
        byte[] data;
        try {
            data = parseHexBody(call.body());
        } catch (IllegalArgumentException e) {
            return done(OctezErrors.reply(400, e.getMessage()));
        }
        return signing.sign(pkh, data, call.param("authentication"), call.param("version"))
                .thenApply(r -> r instanceof SignResult.Signed s
                        ? HttpReply.json(
                                200,
                                JSON.createObjectNode()
                                        .put("signature", s.signature())
                                        .toString())
                        : failed((SignResult.Failed) r));
    }

    private static HttpReply failed(SignResult.Failed f) {
        return OctezErrors.reply(f.failure().status(), f.message());
    }

    /** The body of {@code POST /keys/<pkh>}: a JSON string of hex digits, either case. */
    static byte[] parseHexBody(byte[] body) {
        if (body.length == 0) {
            throw new IllegalArgumentException("can't sign empty data: the body must be a JSON string of hex bytes");
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("body is not valid JSON: expected a JSON string of hex bytes");
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("body cannot be read: " + e.getMessage());
        }
        if (node == null || !node.isTextual()) {
            throw new IllegalArgumentException("expected a JSON string of hex bytes, got a JSON "
                    + (node == null ? "nothing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        String hex = node.asText();
        if (hex.isEmpty()) {
            throw new IllegalArgumentException("can't sign empty data");
        }
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("invalid hex: odd number of digits (" + hex.length() + ")");
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0 || hex.charAt(2 * i) > 'f' || hex.charAt(2 * i + 1) > 'f') {
                throw new IllegalArgumentException("invalid hex digit at offset " + (hi < 0 ? 2 * i : 2 * i + 1));
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    private HttpReply publicKey(String pkh) {
        if (!KeyHashes.isValid(pkh)) {
            return OctezErrors.reply(400, "invalid public key hash '" + clip(pkh) + "'");
        }
        Optional<ManagedKey> k = signing.keys().find(pkh);
        if (k.isEmpty()) {
            return OctezErrors.reply(404, "no keys for the source contract " + pkh);
        }
        return HttpReply.json(
                200,
                JSON.createObjectNode()
                        .put("public_key", k.get().signer().publicKey())
                        .toString());
    }

    private CompletableFuture<HttpReply> knownKeys() {
        if (!allowKnownKeys) {
            return done(OctezErrors.reply(403, "List known keys request not allowed."));
        }
        ObjectNode body = JSON.createObjectNode();
        var arr = body.putArray("known_keys");
        signing.keys().all().forEach(k -> arr.add(k.signer().publicKeyHash()));
        return done(HttpReply.json(200, body.toString()));
    }

    private CompletableFuture<HttpReply> provePossession(String pkh, Optional<String> blsPk) {
        if (!allowProvePossession) {
            return done(OctezErrors.reply(403, "Request to prove possession is not allowed."));
        }
        if (!KeyHashes.isValid(pkh)) {
            return done(OctezErrors.reply(400, "invalid public key hash '" + clip(pkh) + "'"));
        }
        Optional<ManagedKey> k = signing.keys().find(pkh);
        if (k.isEmpty()) {
            return done(OctezErrors.reply(404, "no keys for the source contract " + pkh));
        }
        if (k.get().signer().curve() != Curve.BLS12_381) {
            return done(OctezErrors.reply(400, pkh + " is not a BLS (tz4) key: no proof of possession"));
        }
        if (blsPk.isPresent()) {
            try {
                if (PublicKey.parse(blsPk.get()).curve() != Curve.BLS12_381) {
                    return done(OctezErrors.reply(400, "bls_pk must be a BLpk public key"));
                }
            } catch (KeyFormatException e) {
                return done(OctezErrors.reply(400, "invalid bls_pk: " + e.getMessage()));
            }
        }
        try {
            return CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return k.get()
                                    .signer()
                                    .provePossession(blsPk)
                                    .map(p -> HttpReply.json(
                                            200,
                                            JSON.createObjectNode()
                                                    .put("bls_prove_possession", p)
                                                    .toString()))
                                    .orElse(OctezErrors.reply(400, pkh + " cannot prove possession"));
                        } catch (SigningException e) {
                            return OctezErrors.reply(500, e.getMessage());
                        }
                    },
                    executor);
        } catch (RejectedExecutionException e) {
            return done(busy());
        }
    }

    private static CompletableFuture<HttpReply> only(
            String method, HttpCall call, java.util.function.Supplier<CompletableFuture<HttpReply>> ok) {
        return call.method().equals(method) ? ok.get() : done(notAllowed(call));
    }

    private static HttpReply notAllowed(HttpCall call) {
        return OctezErrors.reply(405, "method " + clip(call.method()) + " not allowed on " + clip(call.path()));
    }

    @Override
    public HttpReply tooLarge(int limitBytes) {
        return OctezErrors.reply(400, "request body over " + limitBytes + " bytes");
    }

    @Override
    public HttpReply malformed(String why) {
        return OctezErrors.reply(400, why);
    }

    @Override
    public HttpReply busy() {
        return OctezErrors.reply(503, "signer busy: too many requests in flight, retry");
    }

    private static CompletableFuture<HttpReply> done(HttpReply r) {
        return CompletableFuture.completedFuture(r);
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
