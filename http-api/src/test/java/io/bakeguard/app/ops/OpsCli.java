package io.bakeguard.app.ops;

import io.bakeguard.app.Bakeguard;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

/** Runs the real {@code bakeguard} command line in-process, with a given environment. */
final class OpsCli {
    record Result(int exit, String out, String err) {}

    private OpsCli() {}

    static Result run(Map<String, String> env, String... args) {
        Map<String, String> saved = ConnectionOptions.environment;
        ConnectionOptions.environment = new HashMap<>(env);
        try {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Bakeguard.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
            return new Result(code, out.toString(), err.toString());
        } finally {
            ConnectionOptions.environment = saved;
        }
    }

    static Result run(String... args) {
        return run(Map.of(), args);
    }
}
