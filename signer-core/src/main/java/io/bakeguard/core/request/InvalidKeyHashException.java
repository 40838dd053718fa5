package io.bakeguard.core.request;

/** A text that should be a public key hash ({@code tz1...} to {@code tz5...}) is not one. */
public final class InvalidKeyHashException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidKeyHashException(String message) {
        super(message);
    }
}
