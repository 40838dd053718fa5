package io.bakeguard.app.ops;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "peers",
        mixinStandardHelpOptions = true,
        description = "Change the Raft group's membership.",
        subcommands = {PeersCommand.Add.class, PeersCommand.Remove.class})
final class PeersCommand extends OpsCommand {
    @Override
    int run() {
        throw OpsException.usage("give a subcommand: peers add ID HOST:PORT or peers remove ID");
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = "Add a replica (already started with the new cluster list) to the Raft group.")
    static final class Add extends OpsCommand {
        @Mixin
        AdminOptions admin;

        @Parameters(index = "0", paramLabel = "ID", description = "The new replica's node.id.")
        String id;

        @Parameters(index = "1", paramLabel = "HOST:PORT", description = "Its Raft address.")
        String address;

        @Override
        int run() {
            checkId(id);
            if (!address.matches("[^\\s:/]+:\\d{1,5}|\\[[0-9a-fA-F:.]+\\]:\\d{1,5}")) {
                throw OpsException.usage("'" + address + "' is not HOST:PORT: give the new replica's Raft address, e.g."
                        + " 10.0.0.4:9870");
            }
            JsonNode r = admin.client()
                    .post(
                            "/admin/peers",
                            Json.MAPPER.createObjectNode().put("id", id).put("address", address));
            out().println("added " + r.path("added").asText(id) + " at "
                    + r.path("address").asText(address));
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a replica from the Raft group.")
    static final class Remove extends OpsCommand {
        @Mixin
        AdminOptions admin;

        @Parameters(index = "0", paramLabel = "ID", description = "The replica's node.id.")
        String id;

        @Override
        int run() {
            checkId(id);
            JsonNode r = admin.client().delete("/admin/peers/" + id);
            out().println("removed " + r.path("removed").asText(id));
            return 0;
        }
    }

    static void checkId(String id) {
        if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw OpsException.usage("'" + id + "' is not a replica id: use letters, digits, '.', '_' or '-'");
        }
    }
}
