package io.bakeguard.core.key;

/**
 * A key, key hash or wallet file could not be read. Messages say what is wrong and never contain
 * secret key material.
 */
public final class KeyFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public KeyFormatException(String message) {
        super(message);
    }

    public KeyFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
