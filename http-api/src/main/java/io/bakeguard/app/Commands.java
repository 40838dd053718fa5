package io.bakeguard.app;

import java.util.List;

/**
 * The one place where {@code bakeguard} subcommands are registered: add an instance of a picocli
 * {@code @Command} class here (ops commands live in {@code io.bakeguard.app.ops}).
 */
public final class Commands {
    private Commands() {}

    static List<Object> all() {
        return List.of(new ServeCommand(), new DemoCommand(), new KeysCommand());
    }
}
