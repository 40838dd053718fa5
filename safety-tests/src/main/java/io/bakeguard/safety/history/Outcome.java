package io.bakeguard.safety.history;

/** What one signing request returned to the baker that sent it. */
public sealed interface Outcome {

    /** A short lower-case name used in reports and JSON ({@code signed}, {@code refused}, ...). */
    String type();

    /** 200 with a signature. */
    record Signed(String signature) implements Outcome {
        @Override
        public String type() {
            return "signed";
        }
    }

    /** 409 (watermark) or 403 (policy): the replica decided not to sign. */
    record Refused(int status, String message) implements Outcome {
        @Override
        public String type() {
            return "refused";
        }
    }

    /** 503: the replica could not commit the reservation within the request deadline. */
    record NoQuorum(String message) implements Outcome {
        @Override
        public String type() {
            return "no-quorum";
        }
    }

    /** Any other answer or a transport failure (connection refused or reset, replica killed). */
    record Failed(int status, String message) implements Outcome {
        @Override
        public String type() {
            return "error";
        }
    }

    /** No answer within the client's own deadline (a paused replica, a stalled link). */
    record TimedOut(String message) implements Outcome {
        @Override
        public String type() {
            return "timeout";
        }
    }
}
