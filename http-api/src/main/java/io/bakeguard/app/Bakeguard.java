package io.bakeguard.app;

import io.bakeguard.app.config.ConfigException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code bakeguard} command (design.md s.6). Subcommands are listed in {@link Commands}; exit
 * codes are 0 on success, 1 on failure and 2 on a usage error, and every error is one line on
 * stderr that says what to do.
 */
@Command(
        name = "bakeguard",
        mixinStandardHelpOptions = true,
        versionProvider = Bakeguard.Version.class,
        description = "A Raft-replicated remote signer for Tezos bakers that cannot double-sign.",
        subcommandsRepeatable = false)
public final class Bakeguard implements Runnable {
    /** Exit code of a command that failed. */
    public static final int FAILURE = 1;
    /** Exit code of a usage error. */
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a command, e.g. bakeguard demo");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit code (used by tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    /** The command tree with every registered subcommand and the error handling. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Bakeguard());
        for (Object sub : Commands.all()) {
            cl.addSubcommand(sub);
        }
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            var ops = io.bakeguard.app.ops.OpsCommands.handle(e, cmd);
            if (ops.isPresent()) {
                return ops.get();
            }
            String msg = e instanceof ConfigException || e instanceof UserException
                    ? e.getMessage()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            cmd.getErr().println("bakeguard " + cmd.getCommandName() + ": " + oneLine(msg));
            return FAILURE;
        });
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr()
                    .println("bakeguard: " + oneLine(e.getMessage()) + " (see: "
                            + cmd.getCommandSpec().qualifiedName() + " --help)");
            return USAGE;
        });
        return cl;
    }

    static String oneLine(String s) {
        return s == null ? "failed" : s.replace('\n', ' ').replace('\r', ' ');
    }

    /** An error whose message is for the user as is. */
    public static final class UserException extends Exception {
        private static final long serialVersionUID = 1L;

        public UserException(String message) {
            super(message);
        }
    }

    /** The version from the jar manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Bakeguard.class.getPackage().getImplementationVersion();
            return new String[] {"bakeguard " + (v == null ? "development" : v)};
        }
    }
}
