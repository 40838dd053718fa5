package io.bakeguard.app.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "log",
        mixinStandardHelpOptions = true,
        description = "The watermark log of a replica: every decision, granted or refused, newest last. Includes the"
                + " histories the replica set aside after installing a snapshot that did not link to its log.")
final class LogCommand extends OpsCommand {
    static final int MAX_LIMIT = 10_000;

    @Mixin
    AdminOptions admin;

    @Option(names = "--key", paramLabel = "PKH", description = "Only records of this key.")
    String key;

    @Option(
            names = "--kind",
            paramLabel = "K",
            description = "Only this kind (block, preattestation, attestation, ...).")
    String kind;

    @Option(names = "--since-level", paramLabel = "N", description = "Only records at level N or above.")
    Integer sinceLevel;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "50",
            description = "At most N records, the newest (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--follow", description = "Keep polling and print new records until Ctrl-C.")
    boolean follow;

    @Option(
            names = "--interval",
            paramLabel = "SECONDS",
            defaultValue = "1",
            description = "Poll interval of --follow, 1 to 60 (default: ${DEFAULT-VALUE}).")
    int interval;

    @Option(
            names = "--follow-for",
            paramLabel = "SECONDS",
            description = "Stop --follow after this many seconds (default: until Ctrl-C).")
    Integer followFor;

    @Option(names = "--json", description = "JSON: an array, or one object per line with --follow.")
    boolean json;

    /** The history start and set-aside histories the first answer reported, for the table's footnote. */
    private JsonNode firstAnswer;

    @Override
    int run() {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw OpsException.usage("--limit must be between 1 and " + MAX_LIMIT);
        }
        if (interval < 1 || interval > 60) {
            throw OpsException.usage("--interval must be between 1 and 60 seconds");
        }
        if (followFor != null && (followFor < 1 || !follow)) {
            throw OpsException.usage("--follow-for needs --follow and a positive number of seconds");
        }
        Optional.ofNullable(key).ifPresent(TezosIds::keyArgument);
        if (sinceLevel != null && sinceLevel < 0) {
            throw OpsException.usage("--since-level must not be negative");
        }
        AdminClient client = admin.client();
        List<JsonNode> first = fetch(client, "limit=" + limit);
        if (!follow) {
            if (json) {
                ArrayNode a = Json.MAPPER.createArrayNode();
                first.forEach(a::add);
                out().println(Json.pretty(a));
            } else if (first.isEmpty()) {
                out().println("no records" + (filtered() ? " match" : " yet"));
            } else {
                TextTable t = table();
                first.forEach(r -> addRow(t, r));
                out().print(t.render());
            }
            if (!json) {
                earlierHistoriesNote().ifPresent(out()::println);
            }
            return 0;
        }
        return follow(client, first);
    }

    private int follow(AdminClient client, List<JsonNode> first) {
        long last = first.isEmpty()
                ? Json.number(client.get("/admin/status"), "applied_index").orElse(0L)
                : first.get(first.size() - 1).path("index").asLong();
        if (!json) {
            out().println(header());
        }
        first.forEach(this::stream);
        out().flush();
        long deadline = followFor == null ? Long.MAX_VALUE : System.nanoTime() + followFor * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(Math.min(interval * 1000L, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
            List<JsonNode> next;
            try {
                next = fetch(client, "after=" + last + "&limit=" + MAX_LIMIT);
            } catch (AdminClient.Unreachable e) {
                // A replica restarting is what one watches with --follow: say so and keep polling.
                err().println("log: " + e.getMessage() + " (still polling)");
                err().flush();
                continue;
            }
            for (JsonNode r : next) {
                stream(r);
                last = Math.max(last, r.path("index").asLong());
            }
            out().flush();
        }
        return 0;
    }

    private List<JsonNode> fetch(AdminClient client, String window) {
        StringBuilder q = new StringBuilder("/admin/log?").append(window);
        Optional.ofNullable(key).ifPresent(k -> q.append("&key=").append(WatermarksCommand.enc(k)));
        Optional.ofNullable(kind).ifPresent(k -> q.append("&kind=").append(WatermarksCommand.enc(k)));
        Optional.ofNullable(sinceLevel).ifPresent(l -> q.append("&since=").append(l));
        q.append("&history=all");
        List<JsonNode> out = new ArrayList<>();
        JsonNode answer = client.get(q.toString());
        if (firstAnswer == null) {
            firstAnswer = answer;
        }
        Json.required(answer, "records", "/admin/log").forEach(out::add);
        out.sort(Comparator.comparingLong(r -> r.path("index").asLong()));
        return out;
    }

    private boolean filtered() {
        return key != null || kind != null || sinceLevel != null;
    }

    private void stream(JsonNode r) {
        if (json) {
            out().println(r.toString());
        } else {
            out().println(line(r));
        }
    }

    static TextTable table() {
        return new TextTable(
                "INDEX", "TIME", "BY", "ENTRY", "KEY", "CHAIN", "KIND", "LEVEL", "ROUND", "DECISION", "REASON");
    }

    static void addRow(TextTable t, JsonNode r) {
        t.row(cells(r));
    }

    /** The columns of one record, in {@link #table()} order. */
    static Object[] cells(JsonNode r) {
        return new Object[] {
            r.path("index").asLong(),
            Json.time(r.path("time_ms").asLong()),
            r.path("proposer").asText(),
            r.path("entry").asText(),
            Json.text(r, "key").orElse("-"),
            Json.text(r, "chain").orElse("-"),
            r.path("kind").asText(),
            r.path("level").asLong(),
            r.path("round").asLong(),
            r.path("decision").asText(),
            OpsException.oneLine(Json.text(r, "reason").orElse("-"))
        };
    }

    private static final String LINE = "%-8s %-20s %-6s %-9s %-36s %-15s %-14s %9s %5s %-9s %s";

    static String header() {
        return String.format(Locale.ROOT, LINE, (Object[]) table().header()).stripTrailing();
    }

    /** One record on one line with fixed columns, for streaming. */
    static String line(JsonNode r) {
        return String.format(Locale.ROOT, LINE, cells(r)).stripTrailing();
    }

    /** Where the replica's history restarted, when it did: records below that come from set-aside files. */
    private Optional<String> earlierHistoriesNote() {
        JsonNode earlier = firstAnswer == null ? null : firstAnswer.path("earlier_histories");
        if (earlier == null || !earlier.isArray() || earlier.size() == 0) {
            return Optional.empty();
        }
        StringBuilder b = new StringBuilder("(this replica's current history starts at index ")
                .append(firstAnswer.path("history_start_index").asLong())
                .append("; older records come from ")
                .append(earlier.size())
                .append(earlier.size() == 1 ? " history" : " histories")
                .append(" it set aside, starting at index");
        for (JsonNode h : earlier) {
            b.append(' ').append(h.path("start_index").asLong());
        }
        return Optional.of(b.append(')').toString());
    }
}
