package io.bakeguard.app.ops;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "leader",
        mixinStandardHelpOptions = true,
        description = "Leadership of the Raft group.",
        subcommands = {LeaderCommand.Transfer.class})
final class LeaderCommand extends OpsCommand {
    @Override
    int run() {
        throw OpsException.usage("give a subcommand: leader transfer ID");
    }

    @Command(
            name = "transfer",
            mixinStandardHelpOptions = true,
            description = "Make replica ID the leader (do it before maintenance on the current leader).")
    static final class Transfer extends OpsCommand {
        @Mixin
        AdminOptions admin;

        @Parameters(index = "0", paramLabel = "ID", description = "The replica to lead.")
        String id;

        @Override
        int run() {
            PeersCommand.checkId(id);
            JsonNode r = admin.client()
                    .post("/admin/leader", Json.MAPPER.createObjectNode().put("id", id));
            out().println("leader is now " + r.path("leader").asText(id));
            return 0;
        }
    }
}
