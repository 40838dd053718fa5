package io.bakeguard.core.policy;

/** Whether a key's policy lets it sign a request. */
public sealed interface PolicyDecision permits PolicyDecision.Allowed, PolicyDecision.Refused {

    boolean allowed();

    /** The policy allows the request (consensus requests still go through the watermark rule). */
    record Allowed() implements PolicyDecision {
        @Override
        public boolean allowed() {
            return true;
        }
    }

    /** The policy refuses the request; {@code reason} is meant for the caller and the log. */
    record Refused(String reason) implements PolicyDecision {
        @Override
        public boolean allowed() {
            return false;
        }
    }
}
