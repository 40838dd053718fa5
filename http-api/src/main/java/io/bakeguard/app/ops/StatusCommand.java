package io.bakeguard.app.ops;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Cluster members, roles, leader, term, commit/applied index, lag, last contact, readiness and"
                + " version of every replica (asks each one the reached replica lists).")
final class StatusCommand extends OpsCommand {
    @Mixin
    AdminOptions admin;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    int run() {
        ClusterView view = ClusterView.load(admin.client());
        out().print(json ? Json.pretty(view.toJson()) + "\n" : view.toTable());
        return 0;
    }
}
