package io.bakeguard.app.ops;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base of the ops commands: output through picocli's writers so tests and pipes see it. */
abstract class OpsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    @Override
    public final Integer call() {
        int code = run();
        out().flush();
        return code;
    }

    /** Runs the command; failures are thrown as {@link OpsException}. */
    abstract int run();

    /** Exit code and one error line for an exception, the way every ops command reports it. */
    static int report(Exception e, CommandLine cmd) {
        String name = cmd.getCommandSpec().qualifiedName();
        if (e instanceof OpsException o) {
            cmd.getErr().println(name + ": " + o.getMessage());
            cmd.getErr().flush();
            return o.exitCode();
        }
        cmd.getErr().println(name + ": " + OpsException.oneLine(e.getClass().getSimpleName() + ": " + e.getMessage()));
        cmd.getErr().flush();
        return OpsException.FAILURE;
    }
}
