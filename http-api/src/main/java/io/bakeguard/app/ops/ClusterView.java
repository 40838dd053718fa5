package io.bakeguard.app.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cluster as seen by asking one replica for its members, then every member (at the admin URL
 * the cluster config lists for it) for its own status and readiness.
 */
final class ClusterView {
    /** One member, reached or not. */
    record Replica(
            String id,
            Optional<URI> admin,
            Optional<JsonNode> status,
            Optional<Boolean> ready,
            Optional<String> problem) {

        boolean reached() {
            return status.isPresent();
        }

        long number(String field) {
            return status.flatMap(s -> Json.number(s, field)).orElse(-1L);
        }

        Optional<String> text(String field) {
            return status.flatMap(s -> Json.text(s, field));
        }
    }

    final URI asked;
    final JsonNode askedStatus;
    final List<Replica> replicas;

    private ClusterView(URI asked, JsonNode askedStatus, List<Replica> replicas) {
        this.asked = asked;
        this.askedStatus = askedStatus;
        this.replicas = replicas;
    }

    /** Asks {@code client}'s replica, then every member it lists; unreachable members are kept as such. */
    static ClusterView load(AdminClient client) {
        JsonNode self = client.get("/admin/status");
        String selfId = Json.required(self, "self_id", "/admin/status").asText();
        JsonNode peers = Json.required(self, "peers", "/admin/status");
        List<Replica> out = new ArrayList<>();
        boolean selfListed = false;
        for (JsonNode p : peers) {
            String id = Json.required(p, "id", "/admin/status peer").asText();
            if (id.equals(selfId)) {
                selfListed = true;
                out.add(new Replica(
                        id, Optional.of(client.base()), Optional.of(self), readiness(client), Optional.empty()));
                continue;
            }
            Optional<URI> admin = Json.text(p, "admin").map(AdminClient::parseBase);
            if (admin.isEmpty()) {
                out.add(new Replica(
                        id,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of("admin URL unknown (not in the cluster: list of " + selfId + "'s config)")));
                continue;
            }
            out.add(ask(client.at(admin.get()), id));
        }
        if (!selfListed) {
            // A replica removed from the group still answers: show it, it is what the operator asked.
            out.add(
                    0,
                    new Replica(
                            selfId,
                            Optional.of(client.base()),
                            Optional.of(self),
                            readiness(client),
                            Optional.empty()));
        }
        return new ClusterView(client.base(), self, out);
    }

    /** Asks one replica, known by its admin URL, for its status. */
    static Replica ask(AdminClient c, String expectedId) {
        try {
            JsonNode s = c.get("/admin/status");
            String id = Json.text(s, "self_id").orElse(expectedId);
            return new Replica(id, Optional.of(c.base()), Optional.of(s), readiness(c), Optional.empty());
        } catch (AdminClient.Unreachable e) {
            return new Replica(
                    expectedId,
                    Optional.of(c.base()),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of("unreachable: " + e.why()));
        } catch (OpsException e) {
            return new Replica(
                    expectedId, Optional.of(c.base()), Optional.empty(), Optional.empty(), Optional.of(e.getMessage()));
        }
    }

    private static Optional<Boolean> readiness(AdminClient c) {
        try {
            return Optional.of(c.status("/readyz") == 200);
        } catch (OpsException e) {
            return Optional.empty();
        }
    }

    Optional<String> leader() {
        for (Replica r : replicas) {
            if (r.text("role").filter("LEADER"::equals).isPresent()) {
                return Optional.of(r.id());
            }
        }
        return Json.text(askedStatus, "leader_id");
    }

    long maxCommit() {
        return replicas.stream().mapToLong(r -> r.number("commit_index")).max().orElse(-1);
    }

    /** How far behind the most advanced replica's commit index this one has applied. */
    Optional<Long> lag(Replica r) {
        long max = maxCommit();
        long applied = r.number("applied_index");
        return r.reached() && applied >= 0 && max >= 0 ? Optional.of(Math.max(0, max - applied)) : Optional.empty();
    }

    /** Milliseconds since the leader last heard from {@code id}, as the leader reports it. */
    Optional<Long> lastContact(String id) {
        for (Replica r : replicas) {
            if (r.text("role").filter("LEADER"::equals).isPresent()) {
                if (r.id().equals(id)) {
                    return Optional.of(0L);
                }
                for (JsonNode p : r.status().get().path("peers")) {
                    if (id.equals(p.path("id").asText())) {
                        return Json.number(p, "last_contact_ms_ago");
                    }
                }
            }
        }
        return Optional.empty();
    }

    ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("asked", asked.toString());
        leader().ifPresentOrElse(l -> o.put("leader", l), () -> o.putNull("leader"));
        o.put("members", replicas.size());
        o.put("reachable", replicas.stream().filter(Replica::reached).count());
        o.put("ready", replicas.stream().filter(r -> r.ready().orElse(false)).count());
        ArrayNode arr = o.putArray("replicas");
        for (Replica r : replicas) {
            ObjectNode n = arr.addObject();
            n.put("id", r.id());
            r.admin().ifPresentOrElse(a -> n.put("admin", a.toString()), () -> n.putNull("admin"));
            n.put("reachable", r.reached());
            r.problem().ifPresent(p -> n.put("error", p));
            r.status().ifPresent(s -> {
                n.set("role", s.get("role"));
                n.set("leader", s.get("leader_id"));
                n.set("term", s.get("term"));
                n.set("commit_index", s.get("commit_index"));
                n.set("applied_index", s.get("applied_index"));
                n.set("history_start_index", s.get("history_start_index"));
                if (s.has("version")) {
                    n.set("version", s.get("version"));
                }
            });
            lag(r).ifPresent(v -> n.put("lag", v));
            lastContact(r.id()).ifPresent(v -> n.put("last_contact_ms_ago", v));
            r.ready().ifPresent(v -> n.put("ready", v));
        }
        return o;
    }

    String toTable() {
        TextTable t = new TextTable(
                "ID",
                "ROLE",
                "LEADER",
                "TERM",
                "COMMIT",
                "APPLIED",
                "LAG",
                "LAST-CONTACT",
                "READY",
                "VERSION",
                "ADMIN");
        for (Replica r : replicas) {
            String contact = lastContact(r.id()).map(ms -> ms + "ms ago").orElse("-");
            if (!r.reached()) {
                t.row(
                        r.id(),
                        "unreachable",
                        "-",
                        "-",
                        "-",
                        "-",
                        "-",
                        contact,
                        "no",
                        "-",
                        r.admin().map(URI::toString).orElse("-"));
                continue;
            }
            t.row(
                    r.id(),
                    r.text("role").map(String::toLowerCase).orElse("-"),
                    r.text("leader_id").orElse("none"),
                    r.number("term"),
                    r.number("commit_index"),
                    r.number("applied_index"),
                    lag(r).map(String::valueOf).orElse("-"),
                    contact,
                    r.ready().map(b -> b ? "yes" : "no").orElse("?"),
                    r.text("version").orElse("-"),
                    r.admin().map(URI::toString).orElse("-"));
        }
        StringBuilder b = new StringBuilder();
        long reachable = replicas.stream().filter(Replica::reached).count();
        long ready = replicas.stream().filter(r -> r.ready().orElse(false)).count();
        b.append("leader ")
                .append(leader().orElse("none"))
                .append(", term ")
                .append(Json.number(askedStatus, "term").orElse(-1L))
                .append(", ")
                .append(reachable)
                .append('/')
                .append(replicas.size())
                .append(" replicas reachable, ")
                .append(ready)
                .append(" ready\n");
        b.append(t.render());
        for (Replica r : replicas) {
            r.problem().ifPresent(p -> b.append(r.id()).append(": ").append(p).append('\n'));
        }
        return b.toString();
    }
}
