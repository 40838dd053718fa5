package io.bakeguard.app.ops;

import java.io.Console;
import java.util.Locale;

/** Asks the operator on the terminal before a change; without a terminal, {@code --yes} is required. */
final class Confirmation {
    private Confirmation() {}

    static void ask(boolean yes, String question) {
        if (yes) {
            return;
        }
        Console console = System.console();
        if (console == null) {
            throw OpsException.usage("no terminal to confirm on: check the --dry-run output, then pass --yes");
        }
        String answer = console.readLine("%s [y/N] ", question);
        if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).matches("y|yes")) {
            throw OpsException.failure("not confirmed: nothing was changed");
        }
    }
}
