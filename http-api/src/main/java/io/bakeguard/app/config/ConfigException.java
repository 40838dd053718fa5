package io.bakeguard.app.config;

/** The configuration cannot be used; the message names the key and the file and says what to do. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
