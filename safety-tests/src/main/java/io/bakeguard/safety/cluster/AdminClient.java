package io.bakeguard.safety.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bakeguard.safety.check.Bucket;
import io.bakeguard.safety.check.CommittedRecord;
import io.bakeguard.safety.check.LevelRound;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A client of one replica's admin API (design.md s.5): status, watermarks and the watermark log. */
public final class AdminClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 5_000;
    private static final int MAX_PAGES = 10_000;

    private final URI base;
    private final HttpClient http;

    public AdminClient(URI base, HttpClient http) {
        this.base = base;
        this.http = http;
    }

    /** What {@code GET /admin/status} says. */
    public record Status(
            String selfId, String role, Optional<String> leaderId, long term, long commitIndex, long appliedIndex) {
        public boolean leader() {
            return "LEADER".equalsIgnoreCase(role);
        }
    }

    public Status status(Duration timeout) throws IOException, InterruptedException {
        JsonNode n = get("/admin/status", timeout);
        JsonNode leader = n.path("leader_id");
        return new Status(
                n.path("self_id").asText(),
                n.path("role").asText(),
                leader.isTextual() && !leader.asText().isEmpty() ? Optional.of(leader.asText()) : Optional.empty(),
                n.path("term").asLong(),
                n.path("commit_index").asLong(),
                n.path("applied_index").asLong());
    }

    /** True when {@code GET /readyz} answers 200 (the replica can commit now). */
    public boolean ready(Duration timeout) {
        try {
            HttpResponse<String> r = http.send(request("/readyz", timeout), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** True when {@code GET /healthz} answers 200. */
    public boolean alive(Duration timeout) {
        try {
            HttpResponse<String> r = http.send(request("/healthz", timeout), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code GET /admin/watermarks}: the (level, round) of every bucket this replica has applied. */
    public Map<Bucket, LevelRound> watermarks(Duration timeout) throws IOException, InterruptedException {
        JsonNode n = get("/admin/watermarks", timeout);
        Map<Bucket, LevelRound> out = new HashMap<>();
        for (JsonNode w : n.path("watermarks")) {
            out.put(
                    new Bucket(
                            w.path("key").asText(),
                            w.path("chain").asText(),
                            w.path("kind").asText()),
                    new LevelRound(w.path("level").asInt(), w.path("round").asInt()));
        }
        return out;
    }

    /** The whole watermark log this replica holds, page by page ({@code GET /admin/log?after=&limit=}). */
    public List<CommittedRecord> log(Duration timeoutPerPage) throws IOException, InterruptedException {
        List<CommittedRecord> out = new ArrayList<>();
        long after = 0;
        for (int page = 0; page < MAX_PAGES; page++) {
            JsonNode n = get("/admin/log?after=" + after + "&limit=" + PAGE, timeoutPerPage);
            JsonNode records = n.path("records");
            if (!records.isArray() || records.isEmpty()) {
                return out;
            }
            long last = after;
            for (JsonNode r : records) {
                CommittedRecord c = record(r);
                out.add(c);
                last = Math.max(last, c.index());
            }
            if (last <= after) {
                throw new IOException("log paging of " + base + " did not advance past index " + after);
            }
            after = last;
        }
        throw new IOException("log of " + base + " longer than " + (long) PAGE * MAX_PAGES + " records");
    }

    static CommittedRecord record(JsonNode r) {
        return new CommittedRecord(
                r.path("index").asLong(),
                r.path("term").asLong(),
                r.path("time_ms").asLong(),
                r.path("proposer").asText(),
                r.path("entry").asText(),
                r.path("key").asText(""),
                r.path("chain").asText(""),
                r.path("kind").asText(""),
                r.path("level").asInt(),
                r.path("round").asInt(),
                r.path("digest").asText(""),
                r.path("decision").asText(""),
                r.path("reason").asText(""),
                r.path("previous_hash").asText(""),
                r.path("hash").asText(""));
    }

    private JsonNode get(String path, Duration timeout) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request(path, timeout), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + base + path + " answered " + r.statusCode() + ": " + clip(r.body()));
        }
        return JSON.readTree(r.body());
    }

    private HttpRequest request(String path, Duration timeout) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET().build();
    }

    private static String clip(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
