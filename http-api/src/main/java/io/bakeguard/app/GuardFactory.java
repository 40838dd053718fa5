package io.bakeguard.app;

import io.bakeguard.app.config.BakeguardConfig;
import io.bakeguard.app.config.ConfigException;
import io.bakeguard.core.watermark.BucketKey;
import io.bakeguard.core.watermark.Watermark;
import io.bakeguard.raft.PeerAddress;
import io.bakeguard.raft.RaftTls;
import io.bakeguard.raft.RaftWatermarkGuard;
import io.bakeguard.raft.ReplicaSettings;
import io.bakeguard.raft.WatermarkGuard;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/** Starts this replica's Raft peer and watermark guard (raft-state) from the config. */
final class GuardFactory {
    private GuardFactory() {}

    static WatermarkGuard start(BakeguardConfig c, String file) throws ConfigException {
        List<PeerAddress> peers =
                c.cluster().stream().map(m -> new PeerAddress(m.id(), m.raft())).toList();
        Optional<RaftTls> tls = c.raft().tls().map(t -> new RaftTls(t.certificate(), t.privateKey(), t.trust()));
        ReplicaSettings base = ReplicaSettings.of(c.node().id(), c.node().dataDir(), peers);
        ReplicaSettings settings = new ReplicaSettings(
                base.selfId(),
                base.dataDir(),
                base.peers(),
                tls,
                c.raft().electionMin().orElse(base.electionTimeoutMin()),
                c.raft().electionMax().orElse(base.electionTimeoutMax()));
        try {
            return RaftWatermarkGuard.start(settings);
        } catch (Exception e) {
            throw new ConfigException(
                    "cannot start the Raft peer of " + c.node().id() + " (from " + file + "): " + e.getMessage(), e);
        }
    }

    static LongSupplier leaderChanges(WatermarkGuard guard) {
        return guard::leaderChanges;
    }

    static Map<BucketKey, Watermark> localWatermarks(WatermarkGuard guard) {
        return guard.localWatermarks();
    }
}
