package io.bakeguard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bakeguard.core.key.KeyFormatException;
import io.bakeguard.core.key.PublicKey;
import io.bakeguard.core.signer.SignatureVersion;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Tezos remote signer API as an octez baker uses it (spec/tezos-remote-signer.md s.1.2): {@code GET
 * /authorized_keys} then {@code POST /keys/<pkh>} with the hex of the request as a JSON string, on one
 * kept-alive connection per baker. With several targets, bakers are spread over them, and a baker whose
 * replica fails (connection error or 503) moves to the next one, as a baker behind a failover address
 * would. A sample of the signatures is checked against the key's public key.
 */
final class SignerBackend implements Backend {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> targets;
    private final List<String> pkhs;
    private final List<PublicKey> publicKeys;
    private final int timeoutMillis;
    private final int verifyEvery;
    private final AtomicLong verified = new AtomicLong();

    private SignerBackend(
            List<URI> targets, List<String> pkhs, List<PublicKey> publicKeys, int timeoutMillis, int verifyEvery) {
        this.targets = List.copyOf(targets);
        this.pkhs = List.copyOf(pkhs);
        this.publicKeys = publicKeys;
        this.timeoutMillis = timeoutMillis;
        this.verifyEvery = verifyEvery;
    }

    /**
     * Connects to the first target and fetches the public key of every key ({@code GET /keys/<pkh>}),
     * failing with a clear message when a key is unknown there.
     */
    static SignerBackend connect(List<URI> targets, List<String> pkhs, int timeoutMillis, int verifyEvery)
            throws IOException {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("at least one --target is needed");
        }
        List<PublicKey> pks = new ArrayList<>(pkhs.size());
        if (verifyEvery > 0) {
            try (HttpConnection c = new HttpConnection(targets.get(0), timeoutMillis)) {
                for (String pkh : pkhs) {
                    HttpConnection.Response r = c.get("/keys/" + pkh);
                    if (r.status() != 200) {
                        throw new IOException("GET /keys/" + pkh + " on " + targets.get(0) + " answered " + r.status()
                                + ": " + r.body());
                    }
                    try {
                        pks.add(PublicKey.parse(
                                JSON.readTree(r.body()).path("public_key").asText()));
                    } catch (KeyFormatException e) {
                        throw new IOException("GET /keys/" + pkh + " returned no valid public key: " + r.body(), e);
                    }
                }
            }
        }
        return new SignerBackend(targets, pkhs, pks, timeoutMillis, verifyEvery);
    }

    long verifiedSignatures() {
        return verified.get();
    }

    @Override
    public String name() {
        return "bakeguard";
    }

    @Override
    public Session open(int baker) {
        return new SignerSession(baker % targets.size());
    }

    private final class SignerSession implements Session {
        private int targetIndex;
        private HttpConnection connection;
        private long count;

        SignerSession(int targetIndex) {
            this.targetIndex = targetIndex;
            this.connection = new HttpConnection(targets.get(targetIndex), timeoutMillis);
        }

        @Override
        public Outcome sign(int keyIndex, byte[] request, int level, int round) {
            String pkh = pkhs.get(keyIndex);
            long postStart = 0;
            try {
                HttpConnection.Response keys = connection.get("/authorized_keys");
                if (keys.status() != 200) {
                    return fail("authorized_keys " + keys.status(), 0);
                }
                postStart = System.nanoTime();
                HttpConnection.Response r =
                        connection.post("/keys/" + pkh, "application/json", ConsensusRequests.jsonBody(request));
                long post = System.nanoTime() - postStart;
                if (r.status() != 200) {
                    return fail("sign " + r.status(), post);
                }
                if (verifyEvery > 0 && count++ % verifyEvery == 0) {
                    String sig = JSON.readTree(r.body()).path("signature").asText();
                    if (!publicKeys.get(keyIndex).verify(request, sig, SignatureVersion.V3)
                            && !publicKeys.get(keyIndex).verify(request, sig, SignatureVersion.V0)) {
                        return Outcome.failure("bad signature", post);
                    }
                    verified.incrementAndGet();
                }
                return Outcome.success(post);
            } catch (IOException e) {
                return fail(
                        e instanceof java.net.SocketTimeoutException
                                ? "timeout"
                                : "io " + e.getClass().getSimpleName(),
                        postStart == 0 ? 0 : System.nanoTime() - postStart);
            }
        }

        /** Counts a failure and moves this baker to the next replica when there is one. */
        private Outcome fail(String error, long post) {
            if (targets.size() > 1) {
                connection.close();
                targetIndex = (targetIndex + 1) % targets.size();
                connection = new HttpConnection(targets.get(targetIndex), timeoutMillis);
            }
            return Outcome.failure(error, post);
        }

        @Override
        public void close() {
            connection.close();
        }
    }

    /** Parses a JSON body; used by tests and the scenario runner. */
    static JsonNode json(String body) throws IOException {
        return JSON.readTree(body);
    }
}
