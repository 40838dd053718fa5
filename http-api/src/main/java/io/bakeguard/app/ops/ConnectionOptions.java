package io.bakeguard.app.ops;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How ops commands authenticate to admin APIs and how long they wait: shared by every command. */
public class ConnectionOptions {
    static final String ADMIN_ENV = "BAKEGUARD_ADMIN";
    static final String TOKEN_ENV = "BAKEGUARD_ADMIN_TOKEN";
    static final String DEFAULT_ADMIN = "http://127.0.0.1:9583";

    /** The environment the defaults come from; tests replace it. */
    static Map<String, String> environment = System.getenv();

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description = "File holding the admin bearer token (default: $" + TOKEN_ENV + ").")
    Path tokenFile;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "5",
            description = "Seconds to wait for each admin call (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    Optional<String> token() {
        if (tokenFile != null) {
            try {
                String t = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
                if (t.isEmpty()) {
                    throw OpsException.usage("--token-file " + tokenFile + " is empty: put the admin token in it");
                }
                return Optional.of(t);
            } catch (IOException e) {
                throw OpsException.usage("cannot read --token-file " + tokenFile + " ("
                        + e.getClass().getSimpleName() + "): give a readable file holding the admin token");
            }
        }
        return Optional.ofNullable(environment.get(TOKEN_ENV))
                .map(String::strip)
                .filter(s -> !s.isEmpty());
    }

    Duration timeout() {
        if (timeoutSeconds < 1 || timeoutSeconds > 600) {
            throw OpsException.usage("--timeout must be between 1 and 600 seconds");
        }
        return Duration.ofSeconds(timeoutSeconds);
    }

    AdminClient client(URI base) {
        return new AdminClient(base, token(), timeout());
    }

    static String defaultAdmin() {
        return Optional.ofNullable(environment.get(ADMIN_ENV))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .orElse(DEFAULT_ADMIN);
    }
}
