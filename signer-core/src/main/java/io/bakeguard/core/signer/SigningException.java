package io.bakeguard.core.signer;

/** A signer could not produce a signature (device error, unsupported version for a curve, ...). */
public class SigningException extends Exception {
    private static final long serialVersionUID = 1L;

    public SigningException(String message) {
        super(message);
    }

    public SigningException(String message, Throwable cause) {
        super(message, cause);
    }
}
