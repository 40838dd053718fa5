package io.bakeguard.app.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "watermarks",
        mixinStandardHelpOptions = true,
        description = "High watermarks per key, chain and kind, with when and by which replica each was granted;"
                + " then the operator-set floors.",
        subcommands = {RaiseCommand.class, ImportCommand.class})
final class WatermarksCommand extends OpsCommand {
    /** How many recent log records of a bucket are searched for the record that granted its mark. */
    static final int LOG_LOOKBACK = 50;

    @Mixin
    AdminOptions admin;

    @Option(names = "--key", paramLabel = "PKH", description = "Only this key (tz1...).")
    String key;

    @Option(names = "--chain", paramLabel = "ID", description = "Only this chain (base58 id or mainnet).")
    String chain;

    @Option(names = "--json", description = "Print JSON instead of tables.")
    boolean json;

    @Override
    int run() {
        Optional<String> k = Optional.ofNullable(key).map(TezosIds::keyArgument);
        Optional<String> c = Optional.ofNullable(chain).map(TezosIds::chainArgument);
        AdminClient client = admin.client();
        StringBuilder q = new StringBuilder();
        k.ifPresent(v -> q.append(q.length() == 0 ? "?" : "&").append("key=").append(enc(v)));
        c.ifPresent(v -> q.append(q.length() == 0 ? "?" : "&").append("chain=").append(enc(v)));
        JsonNode answer = client.get("/admin/watermarks" + q);
        ArrayNode marks = Json.MAPPER.createArrayNode();
        for (JsonNode m : Json.required(answer, "watermarks", "/admin/watermarks")) {
            ObjectNode n = ((ObjectNode) m).deepCopy();
            n.put("signed", m.hasNonNull("signature"));
            grantRecord(client, m).ifPresent(r -> {
                n.put("time_ms", r.path("time_ms").asLong());
                n.put("time", Json.time(r.path("time_ms").asLong()));
                n.put("by", r.path("proposer").asText());
                n.put("log_index", r.path("index").asLong());
            });
            marks.add(n);
        }
        JsonNode floors = answer.path("floors");
        if (json) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.set("watermarks", marks);
            o.set("floors", floors.isArray() ? floors : Json.MAPPER.createArrayNode());
            out().println(Json.pretty(o));
            return 0;
        }
        out().print(render(marks, floors));
        return 0;
    }

    static String render(JsonNode marks, JsonNode floors) {
        TextTable t = new TextTable("KEY", "CHAIN", "KIND", "LEVEL", "ROUND", "DIGEST", "SIGNED", "WHEN", "BY");
        for (JsonNode m : marks) {
            t.row(
                    m.path("key").asText(),
                    m.path("chain").asText(),
                    m.path("kind").asText(),
                    m.path("level").asLong(),
                    m.path("round").asLong(),
                    shortDigest(m.path("digest").asText("")),
                    m.path("signed").asBoolean() ? "yes" : "no",
                    Json.text(m, "time").orElse("-"),
                    Json.text(m, "by").orElse("-"));
        }
        StringBuilder b = new StringBuilder();
        if (t.size() == 0) {
            b.append("no watermarks yet\n");
        } else {
            b.append(t.render());
        }
        if (floors.isArray() && floors.size() > 0) {
            TextTable f = new TextTable("KEY", "CHAIN", "FLOOR-LEVEL", "FLOOR-ROUND");
            for (JsonNode fl : floors) {
                f.row(
                        fl.path("key").asText(),
                        fl.path("chain").asText(),
                        fl.path("level").asLong(),
                        Json.text(fl, "round").orElse("whole level"));
            }
            b.append("\nfloors (requests at or below are refused):\n").append(f.render());
        }
        return b.toString();
    }

    static String shortDigest(String hex) {
        return hex.length() > 16 ? hex.substring(0, 16) + "..." : hex.isEmpty() ? "-" : hex;
    }

    /**
     * The log record that granted this mark: the first {@code reserve} record of the bucket at its
     * (level, round) and digest. Imported marks have none (an import record names no bucket).
     */
    private static Optional<JsonNode> grantRecord(AdminClient client, JsonNode mark) {
        String q = "/admin/log?key=" + enc(mark.path("key").asText()) + "&kind="
                + enc(mark.path("kind").asText()) + "&since="
                + mark.path("level").asLong() + "&limit=" + LOG_LOOKBACK;
        JsonNode records = client.get(q).path("records");
        JsonNode found = null;
        for (JsonNode r : records) {
            boolean sameMark =
                    r.path("chain").asText().equals(mark.path("chain").asText())
                            && r.path("level").asLong() == mark.path("level").asLong()
                            && r.path("round").asLong() == mark.path("round").asLong();
            String d = r.path("decision").asText();
            boolean granting = r.path("entry").asText().equals("reserve") && d.equals("granted");
            boolean sameDigest = !r.hasNonNull("digest")
                    || r.path("digest").asText().equals(mark.path("digest").asText());
            if (sameMark
                    && granting
                    && sameDigest
                    && (found == null
                            || r.path("index").asLong() < found.path("index").asLong())) {
                found = r;
            }
        }
        return Optional.ofNullable(found);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
