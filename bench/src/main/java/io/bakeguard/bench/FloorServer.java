package io.bakeguard.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bakeguard.core.crypto.Blake2b;
import io.bakeguard.core.key.SecretKey;
import io.bakeguard.core.request.DecodingException;
import io.bakeguard.core.request.RequestDecoder;
import io.bakeguard.core.request.SigningRequest;
import io.bakeguard.core.signer.SignatureVersion;
import io.bakeguard.core.signer.SigningException;
import io.bakeguard.core.signer.SoftwareSigner;
import io.bakeguard.core.watermark.BucketKey;
import io.bakeguard.core.watermark.Decision;
import io.bakeguard.core.watermark.Reservation;
import io.bakeguard.core.watermark.Watermark;
import io.bakeguard.core.watermark.WatermarkRule;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The floor: what the signer API costs with no consensus at all. One JVM, the JDK's HTTP server, the
 * signer-core software signer and the watermark rule over an in-memory map (one lock per bucket,
 * nothing written to disk). Not a signer anyone should run: it forgets its watermarks on exit. It is
 * the baseline the replicated figures are compared with, and the target of the build's smoke run.
 */
final class FloorServer implements AutoCloseable {
    private static final int MAX_BODY = 64 * 1024;

    private final HttpServer server;
    private final ExecutorService pool;
    private final Map<String, SoftwareSigner> signers = new LinkedHashMap<>();
    private final Map<BucketKey, Watermark> marks = new ConcurrentHashMap<>();

    private FloorServer(HttpServer server, ExecutorService pool, List<SecretKey> keys) {
        this.server = server;
        this.pool = pool;
        for (SecretKey k : keys) {
            SoftwareSigner s = new SoftwareSigner(k);
            signers.put(s.publicKeyHash(), s);
        }
    }

    /** Starts on {@code 127.0.0.1:port} (0 = any free port) with {@code threads} handler threads. */
    static FloorServer start(int port, int threads, List<SecretKey> keys) throws IOException {
        // The JDK server writes headers and body separately: without TCP_NODELAY, Nagle plus the client's
        // delayed ACK would add 40 ms to every answer.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "floor-http");
            t.setDaemon(true);
            return t;
        });
        FloorServer f = new FloorServer(server, pool, keys);
        server.createContext("/", f::handle);
        server.setExecutor(pool);
        server.start();
        return f;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<String> keyHashes() {
        return List.copyOf(signers.keySet());
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            String method = x.getRequestMethod();
            if (path.equals("/authorized_keys") && method.equals("GET")) {
                reply(x, 200, "{}");
                return;
            }
            if (!path.startsWith("/keys/")) {
                reply(x, 404, error("not found"));
                return;
            }
            SoftwareSigner signer = signers.get(path.substring("/keys/".length()));
            if (signer == null) {
                reply(x, 404, error("unknown key"));
                return;
            }
            if (method.equals("GET")) {
                reply(x, 200, "{\"public_key\":\"" + signer.publicKey() + "\"}");
            } else if (method.equals("POST")) {
                sign(x, signer);
            } else {
                reply(x, 405, error("method not allowed"));
            }
        }
    }

    private void sign(HttpExchange x, SoftwareSigner signer) throws IOException {
        byte[] body;
        try (InputStream in = x.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        String s = new String(body, StandardCharsets.US_ASCII).strip();
        if (body.length > MAX_BODY || s.length() < 2 || s.charAt(0) != '"' || s.charAt(s.length() - 1) != '"') {
            reply(x, 400, error("body must be a JSON string of hex under 64 KiB"));
            return;
        }
        byte[] bytes;
        SigningRequest req;
        try {
            bytes = HexFormat.of().parseHex(s, 1, s.length() - 1);
            req = RequestDecoder.decode(bytes);
        } catch (IllegalArgumentException | DecodingException e) {
            reply(x, 400, error("malformed request: " + e.getMessage()));
            return;
        }
        if (!(req instanceof SigningRequest.Consensus c)) {
            reply(x, 403, error("the floor server signs consensus requests only"));
            return;
        }
        BucketKey bucket = new BucketKey(signer.publicKeyHash(), c.chainId(), c.kind());
        Reservation r = new Reservation(bucket, c.level(), c.round(), Blake2b.hash256Hex(bytes));
        Decision[] decision = new Decision[1];
        // One critical section per bucket, as the state machine has.
        marks.compute(bucket, (k, current) -> {
            decision[0] = WatermarkRule.apply(Optional.ofNullable(current), Optional.empty(), true, r);
            if (decision[0] instanceof Decision.Granted g) {
                return g.mark();
            }
            return current;
        });
        if (decision[0] instanceof Decision.Refused refused) {
            reply(x, 409, error(refused.message()));
            return;
        }
        try {
            reply(x, 200, "{\"signature\":\"" + signer.sign(bytes, SignatureVersion.LATEST) + "\"}");
        } catch (SigningException e) {
            reply(x, 500, error("signing failed: " + e.getMessage()));
        }
    }

    private static String error(String msg) {
        return "[{\"kind\":\"temporary\",\"id\":\"failure\",\"msg\":\"" + msg.replace("\"", "'") + "\"}]";
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
