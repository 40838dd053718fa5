package io.bakeguard.raft;

import io.bakeguard.core.watermark.BucketKey;
import io.bakeguard.core.watermark.Decision;
import io.bakeguard.core.watermark.Floor;
import io.bakeguard.core.watermark.KeyChain;
import io.bakeguard.core.watermark.Reservation;
import io.bakeguard.core.watermark.Watermark;
import io.bakeguard.core.watermark.WatermarkRule;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.AtomicFileOutputStream;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated state: every watermark bucket, every floor and the head of the watermark log. It
 * is the adapter around {@link WatermarkRule} (conventions.md): apply decodes an entry, calls the
 * rule, appends the log record, then updates the tables. Apply reads no clock, key or config: the
 * proposer's time and policy travel in the entry, so every replica computes the same state and the
 * same log hashes. Re-applying an identical reservation (a retried request, spec/ratis.md s.1.6)
 * yields a repeat, never a second grant.
 */
final class WatermarkStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(WatermarkStateMachine.class);
    private static final String SNAPSHOT_MAGIC = "bakeguard-watermark-snapshot";
    private static final int SNAPSHOT_VERSION = 1;
    private static final String SNAPSHOT_END = "end";
    private static final String NO_DIGEST = "0".repeat(64);

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final Path logFile;
    private final int snapshotTailRecords;
    private final long logFileBytes;
    private final Object lock = new Object();

    private TreeMap<BucketKey, Watermark> marks = new TreeMap<>();
    private TreeMap<KeyChain, Floor> floors = new TreeMap<>();
    private WatermarkLog log;

    private final AtomicLong leaderChanges = new AtomicLong();
    private volatile RaftPeerId lastLeader;

    /**
     * @param logFile the watermark log file
     * @param snapshotTailRecords how many of the newest log records a snapshot carries
     * @param logFileBytes size past which a snapshot also starts a new watermark-log file
     *     ({@link WatermarkLog#rotateIfLargerThan})
     */
    WatermarkStateMachine(Path logFile, int snapshotTailRecords, long logFileBytes) {
        this.logFile = logFile;
        this.snapshotTailRecords = snapshotTailRecords;
        this.logFileBytes = logFileBytes;
    }

    // ------------------------------------------------------------------ life cycle

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        // Ratis pauses a RUNNING state machine before installing a snapshot and checks it is PAUSED.
        getLifeCycle().transition(LifeCycle.State.STARTING);
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        synchronized (lock) {
            if (log == null) {
                log = WatermarkLog.open(logFile, snapshotTailRecords);
            }
        }
        loadLatestSnapshot();
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    /** Called by Ratis before it installs a snapshot from the leader (Ratis' base class does nothing). */
    @Override
    public void pause() {
        synchronized (lock) {
            if (getLifeCycleState() == LifeCycle.State.RUNNING) {
                getLifeCycle().transition(LifeCycle.State.PAUSING);
                getLifeCycle().transition(LifeCycle.State.PAUSED);
            }
        }
    }

    /** Called by Ratis after it installed a snapshot from the leader (the machine is paused then). */
    @Override
    public void reinitialize() throws IOException {
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            loadLatestSnapshot();
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        } else {
            loadLatestSnapshot();
        }
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public void close() throws IOException {
        synchronized (lock) {
            if (log != null) {
                log.close();
            }
        }
        super.close();
    }

    // ------------------------------------------------------------------ entries

    /** Rejects, before replication, an entry that does not decode (the leader checks syntax only). */
    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        TransactionContext trx = super.startTransaction(request);
        try {
            GuardCodec.decodeEntry(request.getMessage().getContent().toByteArray());
        } catch (GuardCodec.MalformedException e) {
            trx.setException(new IOException("entry refused by the leader: " + e.getMessage()));
        }
        return trx;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        long term = entry.getTerm();
        long index = entry.getIndex();
        byte[] data = entry.getStateMachineLogEntry().getLogData().toByteArray();
        GuardReply reply;
        synchronized (lock) {
            try {
                reply = apply(GuardCodec.decodeEntry(data), term, index);
            } catch (GuardCodec.MalformedException e) {
                // Only reachable when replicas run different formats: changes nothing, grants nothing.
                appendRecord(record(
                        index, term, 0, "unknown", "invalid", "", "", "invalid", 0, 0, "", "ignored", e.getMessage()));
                reply = new GuardReply.Invalid(e.getMessage());
            }
            updateLastAppliedTermIndex(term, index);
        }
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(GuardCodec.encodeReply(reply))));
    }

    private GuardReply apply(GuardEntry e, long term, long index) {
        if (e instanceof GuardEntry.Reserve r) {
            return applyReserve(r, term, index);
        } else if (e instanceof GuardEntry.RecordSignature s) {
            return applySignature(s, term, index);
        } else if (e instanceof GuardEntry.RecordDecision d) {
            return applyDecision(d, term, index);
        } else if (e instanceof GuardEntry.RaiseFloor f) {
            return applyFloor(f, term, index);
        } else if (e instanceof GuardEntry.ImportMarks m) {
            return applyImport(m, term, index);
        }
        throw new IllegalStateException("unknown entry " + e);
    }

    private GuardReply applyReserve(GuardEntry.Reserve e, long term, long index) {
        Reservation r = e.reservation();
        BucketKey b = r.bucket();
        Decision d = WatermarkRule.apply(
                Optional.ofNullable(marks.get(b)),
                Optional.ofNullable(floors.get(b.keyChain())),
                e.firstUseAllowed(),
                r);
        String decision;
        String reason = "";
        if (d instanceof Decision.Granted g) {
            decision = "granted";
        } else if (d instanceof Decision.Repeat) {
            decision = "repeat";
        } else {
            decision = "refused";
            reason = ((Decision.Refused) d).message();
        }
        appendRecord(record(
                index,
                term,
                e.timeMillis(),
                e.proposer(),
                "reserve",
                b.keyHash(),
                b.chainId(),
                b.kind().octezName(),
                r.level(),
                r.round(),
                r.digestHex(),
                decision,
                reason));
        if (d instanceof Decision.Granted g) {
            marks.put(b, g.mark());
        }
        return new GuardReply.Decided(d, index);
    }

    private GuardReply applySignature(GuardEntry.RecordSignature e, long term, long index) {
        BucketKey b = e.bucket();
        Optional<Watermark> current = Optional.ofNullable(marks.get(b));
        Optional<Watermark> updated =
                WatermarkRule.recordSignature(current, e.level(), e.round(), e.digestHex(), e.signature());
        String reason = updated.isPresent()
                ? ""
                : current.map(m -> String.format(
                                "bucket holds (%d,%d) %s%s",
                                m.level(),
                                m.round(),
                                m.digestHex().equals(e.digestHex()) ? "with these bytes" : "with other bytes",
                                m.signature().isPresent() ? " and a signature already" : ""))
                        .orElse("no such bucket");
        appendRecord(record(
                index,
                term,
                e.timeMillis(),
                e.proposer(),
                "signature",
                b.keyHash(),
                b.chainId(),
                b.kind().octezName(),
                e.level(),
                e.round(),
                e.digestHex(),
                updated.isPresent() ? "recorded" : "ignored",
                reason));
        if (updated.isPresent()) {
            marks.put(b, updated.get());
            return new GuardReply.Decided(new Decision.Granted(updated.get()), index);
        }
        return new GuardReply.Decided(
                new Decision.Refused(Decision.Reason.NOT_ABOVE, "signature not recorded: " + reason), index);
    }

    private GuardReply applyDecision(GuardEntry.RecordDecision e, long term, long index) {
        appendRecord(record(
                index,
                term,
                e.timeMillis(),
                e.proposer(),
                "decision",
                e.keyHash(),
                "",
                e.kind(),
                0,
                0,
                e.digestHex(),
                e.granted() ? "granted" : "refused",
                e.reason()));
        Decision d = e.granted()
                ? new Decision.Granted(Watermark.unsigned(0, 0, e.digestHex().isEmpty() ? NO_DIGEST : e.digestHex()))
                : new Decision.Refused(Decision.Reason.POLICY, e.reason());
        return new GuardReply.Decided(d, index);
    }

    private GuardReply applyFloor(GuardEntry.RaiseFloor e, long term, long index) {
        KeyChain kc = e.keyChain();
        Floor current = floors.get(kc);
        boolean raise = current == null || e.floor().above(current);
        String reason = raise
                ? (current == null ? "first floor" : "raised from " + current)
                : "floor " + e.floor() + " is not above the current floor " + current;
        appendRecord(record(
                index,
                term,
                e.timeMillis(),
                e.proposer(),
                "floor",
                kc.keyHash(),
                kc.chainId(),
                "floor",
                e.floor().level(),
                e.floor().round().orElse(0),
                "",
                raise ? "raised" : "refused",
                reason));
        if (!raise) {
            return new GuardReply.Decided(new Decision.Refused(Decision.Reason.BELOW_FLOOR, reason), index);
        }
        floors.put(kc, e.floor());
        return new GuardReply.Decided(
                new Decision.Granted(
                        Watermark.unsigned(e.floor().level(), e.floor().round().orElse(0), NO_DIGEST)),
                index);
    }

    private GuardReply applyImport(GuardEntry.ImportMarks e, long term, long index) {
        TreeMap<BucketKey, Watermark> moved = new TreeMap<>();
        for (Map.Entry<BucketKey, Watermark> x : new TreeMap<>(e.marks()).entrySet()) {
            Watermark cur = marks.get(x.getKey());
            Watermark m = x.getValue();
            if (cur == null || Watermark.above(m.level(), m.round(), cur.level(), cur.round())) {
                moved.put(x.getKey(), m);
            }
        }
        String reason = "moved " + moved.size() + " of " + e.marks().size() + " buckets up";
        appendRecord(record(
                index,
                term,
                e.timeMillis(),
                e.proposer(),
                "import",
                "",
                "",
                "import",
                0,
                0,
                "",
                moved.isEmpty() ? "ignored" : "raised",
                reason));
        marks.putAll(moved);
        if (moved.isEmpty()) {
            return new GuardReply.Decided(new Decision.Refused(Decision.Reason.NOT_ABOVE, reason), index);
        }
        return new GuardReply.Decided(new Decision.Granted(moved.lastEntry().getValue()), index);
    }

    private void appendRecord(LogRecord draft) {
        try {
            log.append(draft);
        } catch (IOException e) {
            // The history must not silently diverge: stop this replica (Ratis closes the server).
            throw new UncheckedIOException("cannot append to the watermark log " + logFile, e);
        }
    }

    // ------------------------------------------------------------------ reads

    @Override
    public CompletableFuture<Message> query(Message request) {
        GuardReply reply;
        try {
            int type = GuardCodec.decodeQuery(request.getContent().toByteArray());
            synchronized (lock) {
                reply = switch (type) {
                    case GuardCodec.QUERY_MARKS -> new GuardReply.Marks(new TreeMap<>(marks));
                    case GuardCodec.QUERY_FLOORS -> new GuardReply.Floors(new TreeMap<>(floors));
                    default -> new GuardReply.Pong(appliedIndex());
                };
            }
        } catch (GuardCodec.MalformedException e) {
            reply = new GuardReply.Invalid(e.getMessage());
        }
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(GuardCodec.encodeReply(reply))));
    }

    /** This replica's applied buckets (no consensus). */
    SortedMap<BucketKey, Watermark> localMarks() {
        synchronized (lock) {
            return new TreeMap<>(marks);
        }
    }

    SortedMap<KeyChain, Floor> localFloors() {
        synchronized (lock) {
            return new TreeMap<>(floors);
        }
    }

    WatermarkLog log() {
        synchronized (lock) {
            return log;
        }
    }

    long appliedIndex() {
        TermIndex t = getLastAppliedTermIndex();
        return t == null ? RaftLog.INVALID_LOG_INDEX : t.getIndex();
    }

    long leaderChanges() {
        return leaderChanges.get();
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        if (newLeaderId != null && !newLeaderId.equals(lastLeader)) {
            lastLeader = newLeaderId;
            leaderChanges.incrementAndGet();
        }
    }

    // ------------------------------------------------------------------ snapshots

    /**
     * Writes watermarks, floors, the log's chain head and its newest records for the last applied
     * index, atomically (tmp file, fsync, rename: spec/ratis.md s.1.2), with an MD5 beside it.
     */
    @Override
    public long takeSnapshot() throws IOException {
        synchronized (lock) {
            TermIndex last = getLastAppliedTermIndex();
            if (last == null || last.getIndex() < 0) {
                return RaftLog.INVALID_LOG_INDEX;
            }
            // Records up to the snapshot must be durable before Ratis may purge the entries behind them.
            log.force();
            ChainState chain = chainStateAt(last.getIndex());
            File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
            try (DataOutputStream out =
                    new DataOutputStream(new BufferedOutputStream(new AtomicFileOutputStream(file)))) {
                out.writeUTF(SNAPSHOT_MAGIC);
                out.writeInt(SNAPSHOT_VERSION);
                out.writeLong(last.getTerm());
                out.writeLong(last.getIndex());
                blob(out, GuardCodec.encodeReply(new GuardReply.Marks(new TreeMap<>(marks))));
                blob(out, GuardCodec.encodeReply(new GuardReply.Floors(new TreeMap<>(floors))));
                out.writeUTF(chain.head());
                out.writeInt(chain.tail().size());
                for (LogRecord r : chain.tail()) {
                    out.writeUTF(LogRecordFormat.line(r));
                }
                out.writeUTF(SNAPSHOT_END);
            }
            MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
            storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), last));
            LOG.info(
                    "{}: snapshot at {} ({} buckets, {} log records)",
                    getId(),
                    last,
                    marks.size(),
                    chain.tail().size());
            // Only when the file is not ahead of the state: then its newest records, which the new file keeps,
            // reach past every entry a restart would replay from this snapshot.
            if (log.lastIndex() <= last.getIndex()) {
                log.rotateIfLargerThan(logFileBytes);
            }
            return last.getIndex();
        }
    }

    private record ChainState(String head, List<LogRecord> tail) {}

    /** The chain head and the newest records at or below {@code index}. */
    private ChainState chainStateAt(long index) throws IOException {
        if (log.lastIndex() <= index) {
            return new ChainState(log.lastHash(), log.tail());
        }
        // The file is ahead of the state (entries being replayed after a restart): read it back.
        WatermarkLog.ChainTail t = log.chainTailAt(index, snapshotTailRecords);
        return new ChainState(t.head(), t.records());
    }

    private void loadLatestSnapshot() throws IOException {
        SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
        if (snapshot == null) {
            return;
        }
        Path file = snapshot.getFile().getPath();
        if (MD5FileUtil.getDigestFileForFile(file.toFile()).exists()) {
            MD5FileUtil.verifySavedMD5(file.toFile(), MD5FileUtil.computeMd5ForFile(file.toFile()));
        }
        TermIndex ti = snapshot.getTermIndex();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (!SNAPSHOT_MAGIC.equals(in.readUTF()) || in.readInt() != SNAPSHOT_VERSION) {
                throw new IOException(
                        "snapshot " + file + " is not a version " + SNAPSHOT_VERSION + " Bakeguard watermark snapshot");
            }
            long term = in.readLong();
            long index = in.readLong();
            if (term != ti.getTerm() || index != ti.getIndex()) {
                throw new IOException("snapshot " + file + " holds " + term + ":" + index + " but is named " + ti);
            }
            GuardReply m = GuardCodec.decodeReply(blob(in));
            GuardReply f = GuardCodec.decodeReply(blob(in));
            if (!(m instanceof GuardReply.Marks ms) || !(f instanceof GuardReply.Floors fs)) {
                throw new IOException("snapshot " + file + " does not hold marks and floors");
            }
            String head = in.readUTF();
            int n = in.readInt();
            if (n < 0 || n > 10_000_000) {
                throw new IOException("snapshot " + file + " has a log tail of " + n + " records");
            }
            List<LogRecord> tail = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                LogRecord r = LogRecordFormat.parse(in.readUTF());
                if (!tail.isEmpty()
                        && !r.previousHash().equals(tail.get(tail.size() - 1).hash())) {
                    throw new IOException("snapshot " + file + ": log tail chain broken at index " + r.index());
                }
                tail.add(r);
            }
            if (!tail.isEmpty() && !tail.get(tail.size() - 1).hash().equals(head)) {
                throw new IOException("snapshot " + file + ": log tail does not end at the chain head");
            }
            if (!SNAPSHOT_END.equals(in.readUTF()) || in.read() != -1) {
                throw new IOException("snapshot " + file + " has a damaged end");
            }
            synchronized (lock) {
                marks = new TreeMap<>(ms.marks());
                floors = new TreeMap<>(fs.floors());
                log.reconcile(index, head, tail);
                setLastAppliedTermIndex(ti);
            }
            LOG.info(
                    "{}: loaded snapshot {} ({} buckets); watermark log history starts at {}",
                    getId(),
                    ti,
                    marks.size(),
                    log.startIndex());
        } catch (EOFException e) {
            throw new IOException("snapshot " + file + " is truncated", e);
        } catch (GuardCodec.MalformedException | IllegalArgumentException e) {
            throw new IOException("snapshot " + file + " is damaged: " + e.getMessage(), e);
        }
    }

    private static void blob(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] blob(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 512 * 1024 * 1024) {
            throw new IOException("snapshot section of " + n + " bytes");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    // ------------------------------------------------------------------ log records

    /** A record for the watermark log; the log chains it (previous hash and hash). */
    private static LogRecord record(
            long index,
            long term,
            long time,
            String proposer,
            String entry,
            String key,
            String chain,
            String kind,
            int level,
            int round,
            String digest,
            String decision,
            String reason) {
        return new LogRecord(
                index,
                term,
                time,
                proposer,
                entry,
                Optional.of(key),
                Optional.of(chain),
                kind,
                level,
                round,
                Optional.of(digest),
                decision,
                Optional.of(reason),
                "",
                "");
    }
}
