package io.bakeguard.app.ops;

import java.util.List;
import picocli.CommandLine;

/** The ops commands of {@code bakeguard} (design.md s.6), for the top-level command to register. */
public final class OpsCommands {
    private OpsCommands() {}

    /** One fresh instance of each ops command. */
    public static List<Object> all() {
        return List.of(
                new StatusCommand(),
                new WatermarksCommand(),
                new LogCommand(),
                new VerifyCommand(),
                new PeersCommand(),
                new LeaderCommand(),
                new SnapshotCommand(),
                new CompletionCommand());
    }

    /**
     * When {@code e} is an ops failure, prints its one line on stderr and returns its exit code;
     * otherwise empty, for the caller's own handling.
     */
    public static java.util.Optional<Integer> handle(Exception e, CommandLine cmd) {
        if (e instanceof OpsException) {
            return java.util.Optional.of(OpsCommand.report(e, cmd));
        }
        return java.util.Optional.empty();
    }
}
