package io.bakeguard.safety.check;

import io.bakeguard.safety.history.FaultEvent;
import io.bakeguard.safety.history.Op;
import java.util.List;
import java.util.Map;

/**
 * Everything the checker looks at.
 *
 * @param ops every request sent, in any order
 * @param faults every injected fault
 * @param logs per replica, its watermark log as fetched at the end of the run (after healing)
 * @param checkpoints watermarks around each kill of the whole cluster
 */
public record CheckInput(
        List<Op> ops,
        List<FaultEvent> faults,
        Map<String, List<CommittedRecord>> logs,
        List<WatermarkCheckpoint> checkpoints) {
    public CheckInput {
        ops = List.copyOf(ops);
        faults = List.copyOf(faults);
        logs = Map.copyOf(logs);
        checkpoints = List.copyOf(checkpoints);
    }
}
