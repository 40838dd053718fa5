package io.bakeguard.app;

import io.bakeguard.app.ops.OpsCommands;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place where {@code bakeguard} subcommands are registered: add an instance of a picocli
 * {@code @Command} class here (ops commands live in {@code io.bakeguard.app.ops}).
 */
public final class Commands {
    private Commands() {}

    static List<Object> all() {
        List<Object> all =
                new ArrayList<>(List.of(new ServeCommand(), new DemoCommand(), new KeysCommand(), new LedgerCommand()));
        all.addAll(OpsCommands.all());
        return all;
    }
}
