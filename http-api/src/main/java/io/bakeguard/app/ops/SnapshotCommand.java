package io.bakeguard.app.ops;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "snapshot",
        mixinStandardHelpOptions = true,
        description = "Take a snapshot of the replica's state now (lets Ratis purge its log).")
final class SnapshotCommand extends OpsCommand {
    @Mixin
    AdminOptions admin;

    @Override
    int run() {
        JsonNode r = admin.client().post("/admin/snapshot", Json.MAPPER.createObjectNode());
        out().println("snapshot taken at index "
                + Json.required(r, "snapshot_index", "/admin/snapshot").asLong());
        return 0;
    }
}
