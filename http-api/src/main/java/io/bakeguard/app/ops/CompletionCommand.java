package io.bakeguard.app.ops;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = "Print the bash/zsh completion script: source <(bakeguard completion).")
final class CompletionCommand extends OpsCommand {
    @Override
    int run() {
        CommandLine root = spec.root().commandLine();
        out().print(AutoComplete.bash(spec.root().name(), root));
        return 0;
    }
}
