package io.bakeguard.safety.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * Reads back the {@code history.jsonl} that {@link History#writeJsonLines} wrote: every request and every fault,
 * so that a run can be checked again offline. (Watermark checkpoints around full-cluster kills are not in the
 * file; their check is in the run's own report.)
 */
public final class HistoryFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The requests and faults of one run. */
    public record Contents(List<Op> ops, List<FaultEvent> faults) {}

    private HistoryFile() {}

    public static Contents read(Path file) throws IOException {
        List<Op> ops = new ArrayList<>();
        List<FaultEvent> faults = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = JSON.readTree(line);
                switch (n.path("type").asText()) {
                    case "op" -> ops.add(op(n));
                    case "fault" -> faults.add(fault(n));
                    default -> throw new IOException(file + ":" + number + ": unknown record type " + n.path("type"));
                }
            }
        }
        return new Contents(ops, faults);
    }

    private static Op op(JsonNode n) throws IOException {
        String message = n.path("message").asText("");
        Outcome outcome = switch (n.path("outcome").asText()) {
            case "signed" -> new Outcome.Signed(n.path("signature").asText());
            case "refused" -> new Outcome.Refused(n.path("status").asInt(), message);
            case "no-quorum" -> new Outcome.NoQuorum(message);
            case "error" -> new Outcome.Failed(n.path("status").asInt(), message);
            case "timeout" -> new Outcome.TimedOut(message);
            default -> throw new IOException("unknown outcome " + n.path("outcome") + " of op " + n.path("id"));
        };
        return new Op(
                n.path("id").asLong(),
                n.path("baker").asInt(),
                n.path("replica").asText(),
                n.path("key").asText(),
                n.path("chain").asText(),
                n.path("kind").asText(),
                n.path("level").asInt(),
                n.path("round").asInt(),
                n.path("digest").asText(),
                n.path("request").asText(),
                n.path("start_us").asLong(),
                n.path("end_us").asLong(),
                n.path("start_wall_ms").asLong(),
                n.path("end_wall_ms").asLong(),
                outcome);
    }

    private static FaultEvent fault(JsonNode n) {
        List<String> targets = new ArrayList<>();
        n.path("targets").forEach(t -> targets.add(t.asText()));
        HashSet<String> minority = new HashSet<>();
        n.path("minority").forEach(t -> minority.add(t.asText()));
        JsonNode leader = n.path("leader_before");
        return new FaultEvent(
                n.path("id").asInt(),
                FaultType.valueOf(n.path("fault").asText()),
                targets,
                n.path("start_us").asLong(),
                n.path("heal_us").asLong(),
                leader.isTextual() ? Optional.of(leader.asText()) : Optional.empty(),
                n.path("leader_lost").asBoolean(),
                minority,
                n.path("detail").asText(),
                n.path("recovered_us").asLong());
    }
}
