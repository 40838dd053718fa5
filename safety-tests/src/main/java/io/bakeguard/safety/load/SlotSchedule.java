package io.bakeguard.safety.load;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The chain's progress as the bakers see it: per (key, kind) a step counter that any baker may advance. Step
 * {@code s} is level {@code BASE_LEVEL + s / ROUNDS_PER_LEVEL}, round {@code s % ROUNDS_PER_LEVEL}, so levels and
 * rounds both increase. Bakers that read the same step send conflicting requests for the same slot.
 */
public final class SlotSchedule {
    public static final int BASE_LEVEL = 1_000;
    public static final int ROUNDS_PER_LEVEL = 3;

    private final ConcurrentHashMap<String, AtomicInteger> steps = new ConcurrentHashMap<>();

    public static int level(int step) {
        return BASE_LEVEL + step / ROUNDS_PER_LEVEL;
    }

    public static int round(int step) {
        return step % ROUNDS_PER_LEVEL;
    }

    public int current(int keyIndex, String kind) {
        return counter(keyIndex, kind).get();
    }

    /** Moves to the next step if nobody did since {@code seen} was read. */
    public void advance(int keyIndex, String kind, int seen) {
        counter(keyIndex, kind).compareAndSet(seen, seen + 1);
    }

    private AtomicInteger counter(int keyIndex, String kind) {
        return steps.computeIfAbsent(keyIndex + "/" + kind, k -> new AtomicInteger());
    }
}
