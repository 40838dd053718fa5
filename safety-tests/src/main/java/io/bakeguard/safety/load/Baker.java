package io.bakeguard.safety.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bakeguard.core.crypto.Blake2b;
import io.bakeguard.safety.history.History;
import io.bakeguard.safety.history.Op;
import io.bakeguard.safety.history.Outcome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * One misbehaving baker: it reads the shared {@link SlotSchedule}, builds a request for the current slot with its
 * own payload hash (so concurrent bakers conflict at every slot), and sends it to every replica at once. Now and
 * then it re-sends the identical bytes (a retry), signs a second payload at the same slot (equivocation), or goes
 * back to an older slot (a regression). Every request and its outcome goes to the {@link History}.
 */
public final class Baker implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] KINDS = {"block", "preattestation", "attestation"};

    /** Mainnet's chain id bytes ({@code NetXdQprcVkpaWU}). */
    public static final byte[] CHAIN = HexFormat.of().parseHex("7a06a770");

    private static final long UNAVAILABLE_BACKOFF_MILLIS = 250;

    private final int id;
    private final List<TestKey> keys;
    private final Map<String, URI> replicas;
    private final SlotSchedule schedule;
    private final History history;
    private final Random rnd;
    private final Duration clientTimeout;
    private final BooleanSupplier stop;
    private final HttpClient http;
    private final String chainB58;

    /**
     * @param replicas signer API base URI by replica id
     * @param seed seeds this baker's choices
     * @param clientTimeout how long the baker waits for one answer (longer than the replicas' request timeout)
     * @param stop checked before each step
     */
    public Baker(
            int id,
            List<TestKey> keys,
            Map<String, URI> replicas,
            SlotSchedule schedule,
            History history,
            long seed,
            Duration clientTimeout,
            BooleanSupplier stop) {
        this.id = id;
        this.keys = List.copyOf(keys);
        this.replicas = Map.copyOf(replicas);
        this.schedule = schedule;
        this.history = history;
        this.rnd = new Random(seed);
        this.clientTimeout = clientTimeout;
        this.stop = stop;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1))
                .build();
        this.chainB58 = io.bakeguard.core.crypto.Base58Check.encode(io.bakeguard.core.crypto.Prefix.CHAIN_ID, CHAIN);
    }

    @Override
    public void run() {
        while (!stop.getAsBoolean()) {
            step();
        }
    }

    /** One step: pick a slot, send, maybe retry, maybe advance the schedule. Bounded by the client timeout. */
    void step() {
        int keyIndex = rnd.nextInt(keys.size());
        String kind = KINDS[rnd.nextInt(KINDS.length)];
        int current = schedule.current(keyIndex, kind);
        int target = current;
        double r = rnd.nextDouble();
        if (r < 0.08 && current > 0) {
            target = Math.max(0, current - 1 - rnd.nextInt(4)); // an older slot: must be refused
        }
        int variant = rnd.nextDouble() < 0.1 ? 1 : 0; // a second payload from the same baker
        byte[] request = forge(keyIndex, kind, target, variant);
        sendToAll(keyIndex, kind, target, request);
        if (rnd.nextDouble() < 0.25 && !stop.getAsBoolean()) {
            sendToAll(keyIndex, kind, target, request); // identical retry
        }
        if (rnd.nextDouble() < 0.5) {
            schedule.advance(keyIndex, kind, current);
        }
    }

    byte[] forge(int keyIndex, String kind, int step, int variant) {
        int level = SlotSchedule.level(step);
        int round = SlotSchedule.round(step);
        byte[] payload = Blake2b.hash256(ByteBuffer.allocate(20)
                .putInt(id)
                .putInt(keyIndex)
                .putInt(kind.hashCode())
                .putInt(step)
                .putInt(variant)
                .array());
        byte[] branch = Blake2b.hash256(ByteBuffer.allocate(4).putInt(level).array());
        return switch (kind) {
            case "block" -> RequestForge.block(CHAIN, level, round, branch, payload);
            case "preattestation" -> RequestForge.preattestation(CHAIN, branch, keyIndex, level, round, payload);
            default -> RequestForge.attestation(CHAIN, branch, keyIndex, level, round, payload);
        };
    }

    /**
     * Sends {@code request} to every replica at once and waits for every answer. When no replica answered with a
     * decision (all down, no quorum, timed out), backs off briefly as a real baker's retry loop would, so a dead
     * cluster does not flood the history with instant connection failures.
     */
    private void sendToAll(int keyIndex, String kind, int step, byte[] request) {
        String hex = HexFormat.of().formatHex(request);
        String digest = Blake2b.hash256Hex(request);
        String pkh = keys.get(keyIndex).keyHash();
        List<Pending> pending = new ArrayList<>();
        for (Map.Entry<String, URI> replica : replicas.entrySet()) {
            HttpRequest req = HttpRequest.newBuilder(replica.getValue().resolve("/keys/" + pkh))
                    .timeout(clientTimeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("\"" + hex + "\""))
                    .build();
            Pending p = new Pending(
                    history.nextOpId(),
                    replica.getKey(),
                    pkh,
                    kind,
                    step,
                    digest,
                    hex,
                    history.clock().micros(),
                    history.clock().wallMillis());
            pending.add(p);
            p.future = http.sendAsync(req, HttpResponse.BodyHandlers.ofString())
                    .whenComplete((resp, err) -> p.finish(outcome(resp, err)));
        }
        boolean decided = false;
        for (Pending p : pending) {
            try {
                p.future.get(clientTimeout.toMillis() + 2_000, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                p.future.cancel(true);
                p.finish(new Outcome.TimedOut("no answer within " + (clientTimeout.toMillis() + 2_000) + " ms"));
            } catch (ExecutionException e) {
                // already recorded by whenComplete
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.finish(new Outcome.Failed(0, "interrupted"));
                return;
            }
            decided |= p.outcome instanceof Outcome.Signed || p.outcome instanceof Outcome.Refused;
        }
        if (!decided) {
            try {
                Thread.sleep(UNAVAILABLE_BACKOFF_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static Outcome outcome(HttpResponse<String> resp, Throwable err) {
        return err != null ? failure(err) : outcome(resp.statusCode(), resp.body());
    }

    /** A transport failure: no answer in time, or no connection (a killed replica). */
    static Outcome failure(Throwable err) {
        Throwable t = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                ? err.getCause()
                : err;
        if (t instanceof HttpTimeoutException) {
            return new Outcome.TimedOut(t.getClass().getSimpleName());
        }
        return new Outcome.Failed(0, t.getClass().getSimpleName() + ": " + t.getMessage());
    }

    /** Classifies an answer by status (design.md s.5): 200 signed, 403/409 refused, 503 no quorum. */
    static Outcome outcome(int status, String body) {
        if (status == 200) {
            try {
                JsonNode n = JSON.readTree(body);
                JsonNode sig = n.path("signature");
                if (sig.isTextual()) {
                    return new Outcome.Signed(sig.asText());
                }
            } catch (IOException e) {
                // falls through: a 200 without a signature is an error
            }
            return new Outcome.Failed(200, "200 without a signature: " + clip(body));
        }
        String msg = message(body);
        if (status == 409 || status == 403) {
            return new Outcome.Refused(status, msg);
        }
        if (status == 503) {
            return new Outcome.NoQuorum(msg);
        }
        return new Outcome.Failed(status, msg);
    }

    /** The {@code msg} of octez's error body, or the body itself. */
    private static String message(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n.isArray() && n.size() > 0 && n.get(0).path("msg").isTextual()) {
                return n.get(0).path("msg").asText();
            }
        } catch (IOException e) {
            // not JSON
        }
        return clip(body);
    }

    private static String clip(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** One request in flight; recorded exactly once, when it completes or is abandoned. */
    private final class Pending {
        final long opId;
        final String replica;
        final String pkh;
        final String kind;
        final int step;
        final String digest;
        final String hex;
        final long startMicros;
        final long startWall;
        final AtomicBoolean recorded = new AtomicBoolean();
        volatile Outcome outcome;
        CompletableFuture<HttpResponse<String>> future;

        Pending(
                long opId,
                String replica,
                String pkh,
                String kind,
                int step,
                String digest,
                String hex,
                long startMicros,
                long startWall) {
            this.opId = opId;
            this.replica = replica;
            this.pkh = pkh;
            this.kind = kind;
            this.step = step;
            this.digest = digest;
            this.hex = hex;
            this.startMicros = startMicros;
            this.startWall = startWall;
        }

        void finish(Outcome o) {
            if (recorded.compareAndSet(false, true)) {
                outcome = o;
                history.add(new Op(
                        opId,
                        id,
                        replica,
                        pkh,
                        chainB58,
                        kind,
                        SlotSchedule.level(step),
                        SlotSchedule.round(step),
                        digest,
                        hex,
                        startMicros,
                        history.clock().micros(),
                        startWall,
                        history.clock().wallMillis(),
                        o));
            }
        }
    }
}
