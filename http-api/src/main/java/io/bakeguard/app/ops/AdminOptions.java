package io.bakeguard.app.ops;

import picocli.CommandLine.Option;

/** {@code --admin URL} of one replica, plus the connection options. */
public class AdminOptions extends ConnectionOptions {
    @Option(
            names = "--admin",
            paramLabel = "URL",
            description = "Admin API of a replica (default: $" + ADMIN_ENV + " or " + DEFAULT_ADMIN + ").")
    String admin;

    AdminClient client() {
        return client(AdminClient.parseBase(admin == null ? defaultAdmin() : admin));
    }
}
