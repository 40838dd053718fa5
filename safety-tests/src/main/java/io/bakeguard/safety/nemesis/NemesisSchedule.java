package io.bakeguard.safety.nemesis;

import io.bakeguard.safety.history.FaultType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The faults of a run, drawn from a seed: the same seed, count and duration always give the same schedule (the
 * interleaving with the load still depends on timing). The first faults cover every type once, in a seeded
 * order, so even a short run exercises them all; the rest are drawn with {@link #weight} weights.
 */
public final class NemesisSchedule {
    private NemesisSchedule() {}

    public static List<PlannedFault> plan(long seed, int count, long durationMillis) {
        return plan(seed, count, durationMillis, EnumSet.allOf(FaultType.class));
    }

    /** The same, drawing only from {@code allowed} (e.g. without {@link FaultType#SLOW_DISK} where it cannot run). */
    public static List<PlannedFault> plan(long seed, int count, long durationMillis, Set<FaultType> allowed) {
        if (count < 0) {
            throw new IllegalArgumentException("fault count must be >= 0, got " + count);
        }
        if (allowed.isEmpty()) {
            throw new IllegalArgumentException("no fault type allowed");
        }
        Random rnd = new Random(seed);
        List<FaultType> types = new ArrayList<>(EnumSet.copyOf(allowed));
        Collections.shuffle(types, rnd);
        int total = 0;
        for (FaultType t : types) {
            total += weight(t);
        }
        List<PlannedFault> out = new ArrayList<>();
        long interval = count == 0 ? durationMillis : Math.max(1, durationMillis / count);
        for (int i = 0; i < count; i++) {
            FaultType type;
            if (i < types.size()) {
                type = types.get(i);
            } else {
                int pick = rnd.nextInt(total);
                type = types.get(0);
                for (FaultType t : types) {
                    pick -= weight(t);
                    if (pick < 0) {
                        type = t;
                        break;
                    }
                }
            }
            long at = i * interval + rnd.nextInt((int) Math.max(1, Math.min(interval / 3, Integer.MAX_VALUE)));
            out.add(new PlannedFault(type, at, hold(type, rnd), rnd.nextLong()));
        }
        return out;
    }

    /** Relative frequency of each fault type after the first round. */
    static int weight(FaultType t) {
        return switch (t) {
            case KILL_ONE, KILL_LEADER, ISOLATE_ONE -> 12;
            case PAUSE_LEADER, SPLIT_MAJORITY_MINORITY -> 10;
            case KILL_MAJORITY, PAUSE_ONE, BRIDGE, ONE_WAY_LEADER, SLOW_DISK -> 8;
            case KILL_ALL -> 5;
        };
    }

    /** How long a fault lasts: pauses and partitions outlast the 300-600 ms election timeout at least twice. */
    static long hold(FaultType t, Random rnd) {
        return switch (t) {
            case KILL_ONE, KILL_LEADER, KILL_MAJORITY -> 300 + rnd.nextInt(1_200);
            case KILL_ALL -> 300 + rnd.nextInt(900);
            case PAUSE_ONE, PAUSE_LEADER -> 1_200 + rnd.nextInt(1_300);
            case ISOLATE_ONE, SPLIT_MAJORITY_MINORITY, BRIDGE, ONE_WAY_LEADER, SLOW_DISK -> 1_500 + rnd.nextInt(2_000);
        };
    }
}
