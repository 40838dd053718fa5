package io.bakeguard.bench;

import java.io.Closeable;
import java.io.IOException;

/**
 * What one simulated baker does for one signature, against some system. The load driver owns the
 * timing, the levels and the keys; a backend only performs the round trips on its own connection.
 */
interface Backend {
    /** The outcome of one signature: success, or an error class counted by name in the report. */
    record Outcome(boolean ok, String error, long postNanos) {
        static Outcome success(long postNanos) {
            return new Outcome(true, null, postNanos);
        }

        static Outcome failure(String error, long postNanos) {
            return new Outcome(false, error, postNanos);
        }
    }

    /** Short name for reports: "bakeguard", "etcd", "floor". */
    String name();

    /** One baker's session (its connection and what it remembers between requests). */
    Session open(int baker) throws IOException;

    interface Session extends Closeable {
        /**
         * Performs one signature (or its peer equivalent) for {@code keyIndex} with these request bytes;
         * never throws for a failed request, returns a failure outcome instead.
         */
        Outcome sign(int keyIndex, byte[] request, int level, int round);

        @Override
        void close();
    }
}
