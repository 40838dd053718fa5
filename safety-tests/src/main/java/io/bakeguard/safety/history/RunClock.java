package io.bakeguard.safety.history;

/** The run's time base: monotonic microseconds since the run started, and the wall clock alongside. */
public final class RunClock {
    private final long originNanos = System.nanoTime();

    public long micros() {
        return (System.nanoTime() - originNanos) / 1_000;
    }

    public long wallMillis() {
        return System.currentTimeMillis();
    }
}
