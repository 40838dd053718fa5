package io.bakeguard.core.policy;

/** A policy in the configuration names an unknown kind, operation, chain or first-use value. */
public final class PolicyException extends Exception {
    private static final long serialVersionUID = 1L;

    public PolicyException(String message) {
        super(message);
    }
}
