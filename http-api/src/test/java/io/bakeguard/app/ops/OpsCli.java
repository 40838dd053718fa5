package io.bakeguard.app.ops;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Runs ops commands in-process under a {@code bakeguard} root with the ops error handling. */
final class OpsCli {
    record Result(int exit, String out, String err) {}

    @Command(name = "bakeguard")
    static final class Root {}

    private OpsCli() {}

    static Result run(Map<String, String> env, String... args) {
        Map<String, String> saved = ConnectionOptions.environment;
        ConnectionOptions.environment = new HashMap<>(env);
        try {
            CommandLine cl = new CommandLine(new Root());
            OpsCommands.all().forEach(cl::addSubcommand);
            cl.setExecutionExceptionHandler(
                    (e, cmd, parsed) -> OpsCommands.handle(e, cmd).orElseGet(() -> OpsCommand.report(e, cmd)));
            cl.setParameterExceptionHandler((e, a) -> {
                e.getCommandLine().getErr().println("bakeguard: " + e.getMessage());
                return 2;
            });
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute(args);
            return new Result(code, out.toString(), err.toString());
        } finally {
            ConnectionOptions.environment = saved;
        }
    }

    static Result run(String... args) {
        return run(Map.of(), args);
    }
}
