package io.bakeguard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bakeguard.core.crypto.Blake2b;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The side-by-side peer: the same watermark compare-and-set, done as one etcd v3 transaction through
 * etcd's HTTP/JSON gateway ({@code POST /v3/kv/txn}) on a kept-alive connection per baker. Each baker
 * remembers the value it last wrote for each of its buckets; the transaction compares the stored value
 * with it (or that the key does not exist yet) and, if equal, puts (level, round, digest of the request).
 * A lost compare is counted as an error: with one writer per bucket it never happens unless the data
 * was changed behind the baker's back. No signing happens here: this is the consensus part alone.
 */
final class EtcdBackend implements Backend {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getEncoder();

    private final List<URI> endpoints;
    private final String prefix;
    private final int timeoutMillis;

    EtcdBackend(List<URI> endpoints, String prefix, int timeoutMillis) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("at least one etcd --target is needed");
        }
        this.endpoints = List.copyOf(endpoints);
        this.prefix = prefix;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public String name() {
        return "etcd";
    }

    @Override
    public Session open(int baker) {
        return new EtcdSession(baker % endpoints.size());
    }

    private final class EtcdSession implements Session {
        private final HttpConnection connection;
        private final Map<String, String> lastValue = new HashMap<>();

        EtcdSession(int endpoint) {
            this.connection = new HttpConnection(endpoints.get(endpoint), timeoutMillis);
        }

        @Override
        public Outcome sign(int keyIndex, byte[] request, int level, int round) {
            // The bucket of design.md s.1: (key, chain, kind); chain bytes 1..4, kind = magic byte.
            String key = prefix + keyIndex + "/" + HexFormat.of().formatHex(request, 1, 5) + "/" + request[0];
            String value = level + ":" + round + ":" + Blake2b.hash256Hex(request);
            String previous = lastValue.get(key);
            String k64 = b64(key);
            String compare = previous == null
                    ? "{\"key\":\"" + k64 + "\",\"target\":\"CREATE\",\"result\":\"EQUAL\",\"create_revision\":\"0\"}"
                    : "{\"key\":\"" + k64 + "\",\"target\":\"VALUE\",\"result\":\"EQUAL\",\"value\":\"" + b64(previous)
                            + "\"}";
            String body = "{\"compare\":[" + compare + "],\"success\":[{\"request_put\":{\"key\":\"" + k64
                    + "\",\"value\":\"" + b64(value) + "\"}}]}";
            long start = System.nanoTime();
            try {
                HttpConnection.Response r =
                        connection.post("/v3/kv/txn", "application/json", body.getBytes(StandardCharsets.US_ASCII));
                long took = System.nanoTime() - start;
                if (r.status() != 200) {
                    return Outcome.failure("txn " + r.status(), took);
                }
                JsonNode n = JSON.readTree(r.body());
                if (!n.path("succeeded").asBoolean(false)) {
                    return Outcome.failure("compare lost", took);
                }
                lastValue.put(key, value);
                return Outcome.success(took);
            } catch (IOException e) {
                connection.close();
                return Outcome.failure("io " + e.getClass().getSimpleName(), System.nanoTime() - start);
            }
        }

        @Override
        public void close() {
            connection.close();
        }
    }

    private static String b64(String s) {
        return B64.encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
