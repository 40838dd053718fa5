package io.bakeguard.app.ops;

import picocli.CommandLine.Option;

/** {@code --dry-run} and {@code --yes} of the commands that change watermarks. */
public class ChangeOptions {
    @Option(names = "--dry-run", description = "Show what would change, change nothing.")
    boolean dryRun;

    @Option(names = "--yes", description = "Do not ask for confirmation on the terminal.")
    boolean yes;
}
