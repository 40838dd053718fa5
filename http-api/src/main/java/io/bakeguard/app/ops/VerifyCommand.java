package io.bakeguard.app.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = "Compare the watermark-log hashes of replicas at the indexes they share; exit 1 naming the first"
                + " differing index when they diverge. With one --admin, every replica it lists is compared.")
final class VerifyCommand extends OpsCommand {
    @Mixin
    ConnectionOptions connection;

    @Option(
            names = "--admin",
            paramLabel = "URL",
            description = "Admin API of a replica; repeat for several (default: $" + ConnectionOptions.ADMIN_ENV
                    + " or " + ConnectionOptions.DEFAULT_ADMIN + ", and the replicas it lists).")
    List<String> admins = new ArrayList<>();

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    /** One replica's log behind its admin API. */
    static final class RemoteLog implements LogComparison.Log {
        private final String name;
        private final AdminClient client;
        private final long historyStart;

        RemoteLog(String name, AdminClient client, JsonNode status) {
            this.name = name;
            this.client = client;
            this.historyStart = Json.number(status, "history_start_index").orElse(1L);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long historyStart() {
            return historyStart;
        }

        @Override
        public Optional<Long> lastIndex() {
            JsonNode r = Json.required(client.get("/admin/log?limit=1"), "records", "/admin/log");
            return r.size() == 0
                    ? Optional.empty()
                    : Optional.of(r.get(r.size() - 1).path("index").asLong());
        }

        @Override
        public Optional<Long> firstIndexFrom(long index) {
            JsonNode r = Json.required(
                    client.get("/admin/log?after=" + Math.max(0, index - 1) + "&limit=1"), "records", "/admin/log");
            return r.size() == 0
                    ? Optional.empty()
                    : Optional.of(r.get(0).path("index").asLong());
        }

        @Override
        public Optional<String> hashAt(long index) {
            try {
                return Json.text(client.get("/admin/log/hash?index=" + index), "hash");
            } catch (AdminClient.Refused e) {
                if (e.status() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        }

        Optional<JsonNode> recordAt(long index) {
            JsonNode r = client.get("/admin/log?after=" + Math.max(0, index - 1) + "&limit=1")
                    .path("records");
            return r.size() > 0 && r.get(0).path("index").asLong() == index ? Optional.of(r.get(0)) : Optional.empty();
        }
    }

    @Override
    int run() {
        List<ClusterView.Replica> replicas = new ArrayList<>();
        if (admins.size() <= 1) {
            String one = admins.isEmpty() ? ConnectionOptions.defaultAdmin() : admins.get(0);
            replicas.addAll(ClusterView.load(connection.client(AdminClient.parseBase(one))).replicas);
        } else {
            for (String a : admins) {
                URI u = AdminClient.parseBase(a);
                replicas.add(ClusterView.ask(connection.client(u), u.toString()));
            }
        }
        List<String> problems = new ArrayList<>();
        List<RemoteLog> logs = new ArrayList<>();
        for (ClusterView.Replica r : replicas) {
            if (r.reached()) {
                logs.add(new RemoteLog(
                        r.id(), connection.client(r.admin().get()), r.status().get()));
            } else {
                problems.add(r.id() + " not compared: " + r.problem().orElse("unreachable"));
            }
        }
        if (logs.isEmpty()) {
            throw OpsException.failure("no replica could be reached: check --admin");
        }
        RemoteLog ref = logs.get(0);
        ArrayNode pairs = Json.MAPPER.createArrayNode();
        StringBuilder text = new StringBuilder();
        boolean diverged = false;
        for (RemoteLog other : logs.subList(1, logs.size())) {
            LogComparison.Result res = LogComparison.compare(ref, other);
            ObjectNode p = pairs.addObject().put("reference", ref.name()).put("replica", other.name());
            if (res instanceof LogComparison.Result.Agree ok) {
                p.put("agree", true).put("up_to_index", ok.upTo());
                text.append(other.name())
                        .append(": agrees with ")
                        .append(ref.name())
                        .append(
                                ok.upTo() == 0
                                        ? " (no record in common yet)"
                                        : " up to index " + ok.upTo() + " (hash "
                                                + WatermarksCommand.shortDigest(ok.hash()) + ")")
                        .append('\n');
            } else {
                LogComparison.Result.Diverge d = (LogComparison.Result.Diverge) res;
                diverged = true;
                p.put("agree", false).put("first_differing_index", d.index());
                p.put("reference_hash", d.referenceHash().orElse(null));
                p.put("replica_hash", d.otherHash().orElse(null));
                ref.recordAt(d.index()).ifPresent(r -> p.set("reference_record", r));
                other.recordAt(d.index()).ifPresent(r -> p.set("replica_record", r));
                text.append(other.name())
                        .append(": DIVERGES from ")
                        .append(ref.name())
                        .append(" at index ")
                        .append(d.index())
                        .append(" (")
                        .append(ref.name())
                        .append(' ')
                        .append(d.referenceHash()
                                .map(WatermarksCommand::shortDigest)
                                .orElse("has no record"))
                        .append(", ")
                        .append(other.name())
                        .append(' ')
                        .append(d.otherHash()
                                .map(WatermarksCommand::shortDigest)
                                .orElse("has no record"))
                        .append(")\n");
            }
        }
        if (json) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("ok", !diverged && problems.isEmpty());
            o.set("comparisons", pairs);
            ArrayNode pr = o.putArray("problems");
            problems.forEach(pr::add);
            out().println(Json.pretty(o));
        } else {
            if (logs.size() == 1) {
                text.append(ref.name()).append(" is the only member: nothing to compare it with\n");
            }
            out().print(text);
        }
        out().flush();
        if (diverged) {
            JsonNode first = pairs.get(0);
            for (JsonNode p : pairs) {
                if (!p.path("agree").asBoolean()) {
                    first = p;
                    break;
                }
            }
            throw OpsException.failure(
                    "watermark logs diverge: " + first.path("replica").asText() + " differs from "
                            + first.path("reference").asText() + " first at index "
                            + first.path("first_differing_index").asLong()
                            + "; stop that replica and restore it from a healthy one (docs/operations.md, disaster recovery)");
        }
        if (!problems.isEmpty()) {
            throw OpsException.failure(String.join("; ", problems) + "; start it or pass every replica's --admin URL");
        }
        return 0;
    }
}
