package io.bakeguard.app.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "raise",
        mixinStandardHelpOptions = true,
        description = "Raise the floor of a key on a chain: requests at or below it are refused. Only ever upward.")
final class RaiseCommand extends OpsCommand {
    @Mixin
    AdminOptions admin;

    @Option(names = "--key", required = true, paramLabel = "PKH", description = "The key (tz1...).")
    String key;

    @Option(names = "--chain", required = true, paramLabel = "ID", description = "Chain id, or mainnet.")
    String chain;

    @Option(names = "--level", required = true, paramLabel = "N", description = "Floor level.")
    int level;

    @Option(
            names = "--round",
            paramLabel = "R",
            description = "Floor round at --level (higher rounds at that level stay allowed); without it the"
                    + " whole level is covered.")
    Integer round;

    @Mixin
    ChangeOptions change;

    @Override
    int run() {
        String k = TezosIds.keyArgument(key);
        String c = TezosIds.chainArgument(chain);
        if (level < 0) {
            throw OpsException.usage("--level must not be negative");
        }
        if (round != null && round < 0) {
            throw OpsException.usage("--round must not be negative");
        }
        AdminClient client = admin.client();
        JsonNode plan = client.post("/admin/watermarks/raise", body(k, c, true));
        String current = plan.path("current").asText("none");
        String next = plan.path("new").asText();
        out().println("floor of " + k + " on " + c + ": " + current + " -> " + next);
        if (!plan.path("would_raise").asBoolean(false)) {
            throw OpsException.failure("refused: floor " + next + " is not above the current floor " + current + " of "
                    + k + " on " + c + "; floors only move up");
        }
        if (change.dryRun) {
            out().println("dry run: nothing changed");
            return 0;
        }
        Confirmation.ask(change.yes, "Raise the floor of " + k + " on " + c + " to " + next + "?");
        JsonNode done;
        try {
            done = client.post("/admin/watermarks/raise", body(k, c, false));
        } catch (AdminClient.Refused e) {
            if (e.status() == 409) {
                throw OpsException.failure("refused: " + e.detail() + "; floors only move up");
            }
            throw e;
        }
        out().println("raised: floor of " + k + " on " + c + " is now "
                + done.path("floor").asText(next) + " (log index "
                + done.path("log_index").asLong() + ")");
        return 0;
    }

    private ObjectNode body(String k, String c, boolean dry) {
        ObjectNode b = Json.MAPPER.createObjectNode();
        b.put("key", k).put("chain", c).put("level", level);
        if (round != null) {
            b.put("round", round);
        }
        b.put("dry_run", dry);
        return b;
    }
}
