package io.bakeguard.core.crypto;

/** A base58check string could not be decoded; the message says why without echoing secrets in full. */
public final class Base58Exception extends Exception {
    private static final long serialVersionUID = 1L;

    public Base58Exception(String message) {
        super(message);
    }
}
