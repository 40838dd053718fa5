package io.bakeguard.safety.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bakeguard.safety.check.WatermarkCheckpoint;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Everything that happened in a run, appended concurrently by bakers and the nemesis. */
public final class History {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunClock clock;
    private final AtomicLong nextOpId = new AtomicLong();
    private final List<Op> ops = new ArrayList<>();
    private final List<FaultEvent> faults = new ArrayList<>();
    private final List<WatermarkCheckpoint> checkpoints = new ArrayList<>();

    public History(RunClock clock) {
        this.clock = clock;
    }

    public RunClock clock() {
        return clock;
    }

    public long nextOpId() {
        return nextOpId.getAndIncrement();
    }

    public synchronized void add(Op op) {
        ops.add(op);
    }

    public synchronized void add(FaultEvent f) {
        faults.add(f);
    }

    public synchronized void add(WatermarkCheckpoint c) {
        checkpoints.add(c);
    }

    public synchronized List<Op> ops() {
        return ops.stream().sorted(Comparator.comparingLong(Op::id)).toList();
    }

    public synchronized List<FaultEvent> faults() {
        return List.copyOf(faults);
    }

    public synchronized List<WatermarkCheckpoint> checkpoints() {
        return List.copyOf(checkpoints);
    }

    /** Writes one JSON object per line: every request, then every fault (for offline inspection). */
    public void writeJsonLines(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            for (Op op : ops()) {
                ObjectNode n = JSON.createObjectNode();
                n.put("type", "op");
                n.put("id", op.id());
                n.put("baker", op.baker());
                n.put("replica", op.replica());
                n.put("key", op.keyHash());
                n.put("chain", op.chainId());
                n.put("kind", op.kind());
                n.put("level", op.level());
                n.put("round", op.round());
                n.put("digest", op.digestHex());
                n.put("request", op.requestHex());
                n.put("start_us", op.startMicros());
                n.put("end_us", op.endMicros());
                n.put("start_wall_ms", op.startWallMillis());
                n.put("end_wall_ms", op.endWallMillis());
                n.put("outcome", op.outcome().type());
                Outcome o = op.outcome();
                if (o instanceof Outcome.Signed s) {
                    n.put("signature", s.signature());
                } else if (o instanceof Outcome.Refused r) {
                    n.put("status", r.status()).put("message", r.message());
                } else if (o instanceof Outcome.NoQuorum q) {
                    n.put("status", 503).put("message", q.message());
                } else if (o instanceof Outcome.Failed f) {
                    n.put("status", f.status()).put("message", f.message());
                } else if (o instanceof Outcome.TimedOut t) {
                    n.put("message", t.message());
                }
                w.write(n.toString());
                w.newLine();
            }
            for (FaultEvent f : faults()) {
                ObjectNode n = JSON.createObjectNode();
                n.put("type", "fault");
                n.put("id", f.id());
                n.put("fault", f.type().name());
                n.putPOJO("targets", f.targets());
                n.put("start_us", f.startMicros());
                n.put("heal_us", f.healMicros());
                n.put("recovered_us", f.recoveredMicros());
                n.put("leader_before", f.leaderBefore().orElse(null));
                n.put("leader_lost", f.leaderLost());
                n.putPOJO("minority", f.minority().stream().sorted().toList());
                n.put("detail", f.detail());
                w.write(n.toString());
                w.newLine();
            }
        }
    }
}
