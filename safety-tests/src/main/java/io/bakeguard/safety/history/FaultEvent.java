package io.bakeguard.safety.history;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One injected fault.
 *
 * @param id sequence number
 * @param type what was done
 * @param targets the replicas acted on (killed, paused, isolated; for splits the minority side)
 * @param startMicros when the fault was injected (run clock)
 * @param healMicros when it was healed (restart sent, SIGCONT sent, links restored)
 * @param leaderBefore the leader just before the fault, when one was known
 * @param leaderLost whether the fault took the known leader away (killed, paused or cut off)
 * @param minority replicas that could not reach a majority of the group while the fault lasted
 * @param detail free text (the link set cut, the partition mode)
 * @param recoveredMicros when a leader was seen again after the heal, -1 if none was seen in time
 */
public record FaultEvent(
        int id,
        FaultType type,
        List<String> targets,
        long startMicros,
        long healMicros,
        Optional<String> leaderBefore,
        boolean leaderLost,
        Set<String> minority,
        String detail,
        long recoveredMicros) {
    public FaultEvent {
        targets = List.copyOf(targets);
        minority = Set.copyOf(minority);
    }

    /** Whether {@code replica} was cut off from the majority at some moment of [fromMicros, toMicros]. */
    public boolean minorityDuring(String replica, long fromMicros, long toMicros) {
        return minority.contains(replica) && fromMicros <= healMicros && toMicros >= startMicros;
    }

    /** The same event with the time the cluster had a leader again. */
    public FaultEvent recoveredAt(long micros) {
        return new FaultEvent(
                id, type, targets, startMicros, healMicros, leaderBefore, leaderLost, minority, detail, micros);
    }

    public String describe() {
        return String.format(
                "fault %d %s %s [%.3fs..%.3fs] leader before %s%s minority %s %s",
                id,
                type,
                targets,
                startMicros / 1e6,
                healMicros / 1e6,
                leaderBefore.orElse("?"),
                leaderLost ? " (lost)" : "",
                minority,
                detail);
    }
}
