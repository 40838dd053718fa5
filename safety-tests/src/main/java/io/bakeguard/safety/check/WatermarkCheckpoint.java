package io.bakeguard.safety.check;

import java.util.List;
import java.util.Map;

/**
 * Watermarks around a kill -9 of every replica at once.
 *
 * @param faultId the fault that killed the cluster
 * @param killMicros when the kill was sent (run clock)
 * @param before per bucket, the highest watermark any replica reported just before the kill (anything a
 *     replica reports has been applied, hence committed, so it must survive)
 * @param after per replica that caught up after the restart (applied index at least the commit index seen
 *     before the kill), its watermarks
 * @param notCaughtUp replicas that did not catch up within the harness' bound: not compared
 */
public record WatermarkCheckpoint(
        int faultId,
        long killMicros,
        Map<Bucket, LevelRound> before,
        Map<String, Map<Bucket, LevelRound>> after,
        List<String> notCaughtUp) {
    public WatermarkCheckpoint {
        before = Map.copyOf(before);
        after = Map.copyOf(after);
        notCaughtUp = List.copyOf(notCaughtUp);
    }
}
