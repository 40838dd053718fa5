package io.bakeguard.raft;

import io.bakeguard.core.watermark.BucketKey;
import io.bakeguard.core.watermark.Floor;
import io.bakeguard.core.watermark.KeyChain;
import io.bakeguard.core.watermark.Reservation;
import io.bakeguard.core.watermark.Watermark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.RaftRetryFailureException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link WatermarkGuard} of one replica: a Ratis server (gRPC transport, optionally mutual TLS)
 * running the {@link WatermarkStateMachine}, and Ratis clients through which this replica proposes
 * entries (a client finds the leader, so followers forward). Data lives under {@code dataDir}:
 * {@code ratis/} (Raft log, metadata, snapshots) and {@code watermarks.log} (the watermark log).
 */
public final class RaftWatermarkGuard implements WatermarkGuard {
    private static final Logger LOG = LoggerFactory.getLogger(RaftWatermarkGuard.class);

    /** The one Raft group of a Bakeguard cluster; fixed so that every replica names the same group. */
    static final RaftGroupId GROUP_ID =
            RaftGroupId.valueOf(UUID.nameUUIDFromBytes("bakeguard-watermarks".getBytes(StandardCharsets.UTF_8)));

    static final String RATIS_DIR = "ratis";
    /** Closed Raft log segments whose entries stay in the heap, and their total size (see serverProperties). */
    static final int SEGMENT_CACHE_NUM_MAX = 2;

    static final SizeInBytes SEGMENT_CACHE_SIZE_MAX = SizeInBytes.valueOf("24MB");

    /** How long a replica remembers the reply to a client call (see serverProperties). */
    static final TimeDuration RETRY_CACHE_EXPIRY = TimeDuration.valueOf(60, TimeUnit.SECONDS);

    /**
     * The leader's pauses between attempts to reach a follower after consecutive failures (Ratis' format:
     * pause, count, ...): 1 ms for the first 10, then about 100 ms (Ratis randomizes it by up to half) for as long
     * as the failures last. A follower that is down costs one failed connection attempt a tenth of a second.
     */
    static final String APPENDER_RETRY_POLICY = "1ms,10, 100ms,1000000000";

    /** Attempts of the proposal clients, CLIENT_RETRY_PAUSE apart, each up to CLIENT_REQUEST_TIMEOUT (retryPolicy). */
    static final int CLIENT_ATTEMPTS = 30;

    /** How long one attempt of a proposal client waits for a reply before it retries (s.1.7). */
    static final TimeDuration CLIENT_REQUEST_TIMEOUT = TimeDuration.valueOf(1, TimeUnit.SECONDS);

    /** The proposal clients' pause between attempts. */
    static final TimeDuration CLIENT_RETRY_PAUSE = TimeDuration.valueOf(100, TimeUnit.MILLISECONDS);

    static final String LOG_FILE = "watermarks.log";

    /** Proposals waiting for a reply at once; beyond it a proposal is answered NoQuorum at once. */
    private static final int MAX_IN_FLIGHT = 1000;
    /** Proposal clients per replica; 8 and 32 measured the same, 1 a third of the throughput. */
    static final int PROPOSAL_CLIENTS = 8;

    /**
     * Whether the leader submits its own proposals to its server directly (see submitIfLeader); the system
     * property {@code bakeguard.raft.localSubmit=false} turns it off to measure the difference.
     */
    static final boolean LOCAL_SUBMIT = !"false".equals(System.getProperty("bakeguard.raft.localSubmit", "true"));

    /** Resends of an entry refused by a leader handing leadership over (see sendThroughClient), and the pause before each. */
    private static final int MAX_STEPPING_DOWN_RESENDS = 50;

    private static final long STEPPING_DOWN_PAUSE_MILLIS = 50;

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    /** Longest a proposal waits, whatever its deadline says. */
    private static final Duration MAX_WAIT = Duration.ofMinutes(2);

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Knobs that tests turn down to exercise snapshots and log purging quickly; production uses
     * {@link #DEFAULTS} (spec/ratis.md s.7).
     *
     * @param snapshotTailRecords newest watermark-log records carried in a snapshot
     * @param snapshotThreshold applied entries between automatic snapshots
     * @param purgePreservation Raft entries kept behind a snapshot when purging
     * @param purgeGap purge only when at least this many entries can go
     * @param segmentSizeMax Raft log segment size (only closed segments are purged)
     * @param watermarkLogFileBytes size past which a snapshot starts a new watermark-log file
     */
    record Tuning(
            int snapshotTailRecords,
            long snapshotThreshold,
            long purgePreservation,
            int purgeGap,
            String segmentSizeMax,
            long watermarkLogFileBytes) {
        static final Tuning DEFAULTS = new Tuning(10_000, 10_000, 1_000, 1024, "4MB", 64L << 20);
    }

    private final ReplicaSettings settings;
    private final RaftPeerId selfId;
    private final WatermarkStateMachine stateMachine;
    private final RaftServer server;
    /** Opens a new proposal client; used at start and to replace a client whose request window closed. */
    private final Supplier<RaftClient> clientFactory;

    /**
     * Proposal clients, used in turn; slot 0 also serves reads and admin calls. The leader works
     * through one client's ordered stream one request at a time, so a single client capped a replica
     * at about 500 commits/s on the build machine; several streams let commits overlap and share
     * appends (docs/performance.md, "Proposal clients").
     */
    private final AtomicReferenceArray<RaftClient> clients;

    private final AtomicInteger nextClient = new AtomicInteger();
    /** Client id and call ids of the proposals this replica submits to its own server while it leads. */
    private final ClientId localClientId = ClientId.randomId();

    private final AtomicLong localCallIds = new AtomicLong();

    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final ExecutorService admin;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RaftWatermarkGuard(
            ReplicaSettings settings,
            WatermarkStateMachine stateMachine,
            RaftServer server,
            Supplier<RaftClient> clientFactory,
            RaftClient[] clients) {
        this.settings = settings;
        this.selfId = RaftPeerId.valueOf(settings.selfId());
        this.stateMachine = stateMachine;
        this.server = server;
        this.clientFactory = clientFactory;
        this.clients = new AtomicReferenceArray<>(clients);
        this.admin = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bakeguard-raft-admin-" + settings.selfId());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts this replica: recovers its storage when {@code dataDir} holds one, formats it otherwise,
     * joins the group and opens the clients used for proposals.
     */
    public static RaftWatermarkGuard start(ReplicaSettings settings) throws IOException {
        return start(settings, Tuning.DEFAULTS);
    }

    static RaftWatermarkGuard start(ReplicaSettings settings, Tuning tuning) throws IOException {
        Path dataDir = settings.dataDir().toAbsolutePath();
        Path ratisDir = dataDir.resolve(RATIS_DIR);
        Files.createDirectories(ratisDir);
        Parameters parameters = tlsParameters(settings.tls());
        RaftGroup group = RaftGroup.valueOf(GROUP_ID, toRaftPeers(settings.peers()));
        RaftGroup startGroup = group;
        if (isEmptyDirectory(ratisDir) && settings.peers().size() > 1) {
            Optional<List<String>> members = probeRunningMembers(settings, parameters);
            if (members.isPresent() && !members.get().contains(settings.selfId())) {
                // A new replica for a running cluster: it must not campaign before the leader adds it
                // (a leader answers such a candidate with "shut down"), so it starts with no members and
                // waits for the leader's first append (spec/ratis.md s.1.8).
                LOG.info(
                        "replica {} is new to a running cluster of {}: waiting to be added (bakeguard peers add {} {})",
                        settings.selfId(),
                        members.get(),
                        settings.selfId(),
                        settings.self().raftAddress());
                startGroup = RaftGroup.valueOf(GROUP_ID, List.of());
            }
        }

        checkRaftPortFree(settings);
        WatermarkStateMachine sm = new WatermarkStateMachine(
                dataDir.resolve(LOG_FILE), tuning.snapshotTailRecords(), tuning.watermarkLogFileBytes());
        RaftServer server = RaftServer.newBuilder()
                .setServerId(RaftPeerId.valueOf(settings.selfId()))
                .setGroup(startGroup)
                .setStateMachine(sm)
                .setProperties(serverProperties(settings, ratisDir, tuning))
                .setParameters(parameters)
                // FORMAT (Ratis' default) refuses an existing directory; RECOVER formats an empty one and
                // recovers an existing one (spec/ratis.md s.1.12).
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            closeQuietly(server);
            throw new IOException(
                    "replica " + settings.selfId() + " could not start from " + dataDir + ": " + e.getMessage(), e);
        }
        Supplier<RaftClient> clientFactory = () -> RaftClient.newBuilder()
                .setProperties(clientProperties())
                .setParameters(parameters)
                .setRaftGroup(group)
                .setClientId(ClientId.randomId())
                .setRetryPolicy(retryPolicy())
                .build();
        RaftClient[] clients = new RaftClient[PROPOSAL_CLIENTS];
        try {
            for (int i = 0; i < clients.length; i++) {
                clients[i] = clientFactory.get();
            }
        } catch (RuntimeException e) {
            for (RaftClient c : clients) {
                if (c != null) {
                    try {
                        c.close();
                    } catch (IOException | RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
            }
            closeQuietly(server);
            throw e;
        }
        LOG.info(
                "replica {} started: raft {} , data {}, peers {}",
                settings.selfId(),
                settings.self().raftAddress(),
                dataDir,
                settings.peers());
        return new RaftWatermarkGuard(settings, sm, server, clientFactory, clients);
    }

    /**
     * Binds the Raft address once and lets it go, so that a port in use is a clear error here: Ratis' gRPC server,
     * failing to bind, ends the whole JVM with {@code System.exit(1)} instead of throwing (its ExitUtils). A port
     * taken in the instant between this check and Ratis' bind still ends the JVM that way.
     */
    static void checkRaftPortFree(ReplicaSettings settings) throws IOException {
        String host = bindHost(settings.self().host());
        int port = settings.self().port();
        try (ServerSocket probe = new ServerSocket()) {
            // As the gRPC server does: connections of an earlier run in TIME_WAIT do not block a restart.
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IOException(
                    "cannot listen on " + host + ":" + port + " for Raft (replica " + settings.selfId() + "): "
                            + e.getMessage(),
                    e);
        }
    }

    private static void closeQuietly(RaftServer server) {
        try {
            server.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("closing the Raft server after a failed start failed too: {}", e.toString());
        }
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findFirst().isEmpty();
        }
    }

    /**
     * Asks the other configured peers for the members of the running group, if any answers. Used only
     * when this replica has no storage yet, to tell a new replica joining a running cluster from a
     * replica of a cluster being created.
     */
    private static Optional<List<String>> probeRunningMembers(ReplicaSettings settings, Parameters parameters) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(1, TimeUnit.SECONDS));
        for (PeerAddress peer : settings.peers()) {
            if (peer.id().equals(settings.selfId())) {
                continue;
            }
            RaftPeer target = toRaftPeer(peer);
            try (RaftClient probe = RaftClient.newBuilder()
                    .setProperties(p)
                    .setParameters(parameters)
                    .setRaftGroup(RaftGroup.valueOf(GROUP_ID, List.of(target)))
                    .setRetryPolicy(RetryPolicies.noRetry())
                    .build()) {
                GroupInfoReply info =
                        probe.getGroupManagementApi(target.getId()).info(GROUP_ID);
                if (info.isSuccess() && !info.getGroup().getPeers().isEmpty()) {
                    return Optional.of(info.getGroup().getPeers().stream()
                            .map(x -> x.getId().toString())
                            .collect(Collectors.toList()));
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("probe of {} failed: {}", peer, e.toString());
            }
        }
        return Optional.empty();
    }

    static RaftProperties serverProperties(ReplicaSettings s, Path ratisDir, Tuning tuning) {
        RaftProperties p = new RaftProperties();
        // gRPC: the only Ratis transport with TLS between peers (spec/ratis.md s.1.1, s.1.9).
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
        GrpcConfigKeys.Server.setHost(p, bindHost(s.self().host()));
        GrpcConfigKeys.Server.setPort(p, s.self().port());
        RaftServerConfigKeys.setStorageDir(p, List.of(ratisDir.toFile()));

        // Elections: randomized timeout (300/600 ms in production, s.1.4); pre-vote avoids term
        // inflation from a flapping replica.
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, millis(s.electionTimeoutMin()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, millis(s.electionTimeoutMax()));
        RaftServerConfigKeys.LeaderElection.setPreVote(p, true);
        // Never add a majority of new members in one step (s.1.8).
        RaftServerConfigKeys.LeaderElection.setMemberMajorityAdd(p, false);

        // Durability (s.1.3): every entry is fsynced before it counts toward commit. These are Ratis'
        // defaults, set explicitly so that nobody flips them: unsafe flush would acknowledge entries
        // before they reach the disk.
        RaftServerConfigKeys.Log.setUnsafeFlushEnabled(p, false);
        RaftServerConfigKeys.Log.setAsyncFlushEnabled(p, false);
        // A damaged log stops the replica loudly; the repair is manual (s.1.12).
        RaftServerConfigKeys.Log.setCorruptionPolicy(p, RaftServerConfigKeys.Log.CorruptionPolicy.EXCEPTION);
        // No commit-index entries in the log: by default Ratis appends a metadata entry with the new commit index
        // after each commit, which nearly doubles the entries that are replicated and fsynced when commits come
        // one at a time. They only let a restarted replica apply up to its last known commit index before it hears
        // from a leader; without them it applies once the leader's first entry of its term commits. Raft keeps the
        // commit index volatile, and nothing is granted before a majority commit either way. Measured: sequential
        // commit p50 5.1 -> 3.5 ms, 16 concurrent 497 -> 723/s (docs/performance.md, fourth session). Ozone turned
        // them off in its OM and SCM for the same reason (HDDS-13281).
        RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
        SizeInBytes segment = SizeInBytes.valueOf(tuning.segmentSizeMax());
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, segment);
        if (segment.getSize() < RaftServerConfigKeys.Log.preallocatedSize(p).getSize()) {
            RaftServerConfigKeys.Log.setPreallocatedSize(p, segment);
        }
        // Memory: Ratis keeps every entry of the open segment and of up to 6 closed ones (200 MB) in the heap by
        // default. With 32 MB segments the open one alone grew to ~160,000 entries (~80 MB of heap) under load, and
        // with the retry cache it filled the old generation of the distribution's 256 MiB heap: full collections of
        // 0.4-0.9 s every 1-2 s, longer than the election timeout (docs/performance.md). Segments are 4 MB
        // (Tuning.DEFAULTS) and two closed ones stay cached: followers further behind read from disk or get a
        // snapshot.
        RaftServerConfigKeys.Log.setSegmentCacheNumMax(p, SEGMENT_CACHE_NUM_MAX);
        RaftServerConfigKeys.Log.setSegmentCacheSizeMax(p, SEGMENT_CACHE_SIZE_MAX);

        // Latency: the leader sends a new entry to the followers at once instead of waiting up to
        // Ratis' default 10 ms for more entries to batch (under load entries still batch, since the
        // appender takes everything queued). Measured: sequential commit p50 6.9 -> 4.8 ms
        // (docs/performance.md, "Proposal clients and appender wait").
        RaftServerConfigKeys.Log.Appender.setWaitTimeMin(p, TimeDuration.ZERO);
        // Liveness: how long the leader waits between attempts to reach a follower after consecutive failures.
        // Ratis' default ("1ms,10, 1s,20, 5s,1000") waits 5 s after 30 failures, which a follower down for about
        // ten seconds has behind it, and counts every INCONSISTENCY reply while it catches up as one more: a
        // restarted replica then went unreplicated for 5-10 s, and a second failure in that time needed it
        // caught up before anything could commit (docs/performance.md, seventh session).
        RaftServerConfigKeys.Log.Appender.setRetryPolicy(p, APPENDER_RETRY_POLICY);

        // Reads (s.1.5): linearizable ReadIndex for status and watermark listings; no leader lease,
        // which would assume bounded clock drift. Decisions never use reads.
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, false);

        // Retry cache (s.1.6): must outlive the client's whole retry budget (about 33 s, retryPolicy) so
        // that a retried request gets the first attempt's reply instead of a second apply (apply is
        // idempotent anyway). 60 s (Ratis' default) is almost two budgets. Not longer: every applied entry keeps a
        // cache entry with its reply (about 600 bytes of heap) on every replica until it expires; at 1,500
        // entries/s, 90 s held about 140,000 of them (jmap -histo:live, docs/performance.md).
        RaftServerConfigKeys.RetryCache.setExpiryTime(p, RETRY_CACHE_EXPIRY);

        // Snapshots and purging (s.1.8): the state is tiny, so snapshot often; keep 3 snapshot files
        // (Ratis' -1 keeps them all); purge the log behind a snapshot but keep 1000 entries so that a
        // briefly lagging follower catches up from the log rather than by a snapshot install.
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, tuning.snapshotThreshold());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 3);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgePreservationLogNum(p, tuning.purgePreservation());
        RaftServerConfigKeys.Log.setPurgeGap(p, tuning.purgeGap());
        return p;
    }

    private static RaftProperties clientProperties() {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
        // One attempt waits at most 1 s for a reply before the client retries elsewhere (s.1.7).
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, CLIENT_REQUEST_TIMEOUT);
        // Above our own in-flight bound, so that the Ratis client never blocks the caller's thread.
        RaftClientConfigKeys.Async.setOutstandingRequestsMax(p, MAX_IN_FLIGHT + 24);
        return p;
    }

    /**
     * Bounded retries (s.1.7: Ratis' default retries forever): about 30 attempts, 100 ms apart, each
     * waiting at most the 1 s request timeout, so well under the 60 s retry-cache expiry. The caller's
     * deadline usually ends the wait much earlier; the request may still commit later, which only
     * burns the (level, round).
     */
    private static RetryPolicy retryPolicy() {
        return RetryPolicies.retryUpToMaximumCountWithFixedSleep(CLIENT_ATTEMPTS, CLIENT_RETRY_PAUSE);
    }

    private static Parameters tlsParameters(Optional<RaftTls> tls) {
        Parameters parameters = new Parameters();
        tls.ifPresent(t -> {
            GrpcTlsConfig conf = new GrpcTlsConfig(
                    t.privateKey().toFile(), t.certificate().toFile(), t.trust().toFile(), /* mutual */ true);
            // Server, client and admin channels all use the same mutual TLS (s.1.9).
            GrpcConfigKeys.TLS.setConf(parameters, conf);
            GrpcConfigKeys.Server.setTlsConf(parameters, conf);
            GrpcConfigKeys.Client.setTlsConf(parameters, conf);
            GrpcConfigKeys.Admin.setTlsConf(parameters, conf);
        });
        return parameters;
    }

    private static List<RaftPeer> toRaftPeers(List<PeerAddress> peers) {
        return peers.stream().map(RaftWatermarkGuard::toRaftPeer).collect(Collectors.toList());
    }

    private static RaftPeer toRaftPeer(PeerAddress p) {
        return RaftPeer.newBuilder()
                .setId(RaftPeerId.valueOf(p.id()))
                .setAddress(p.raftAddress())
                .build();
    }

    /** Loopback addresses are bound as given (tests, the demo); anything else binds every interface. */
    private static String bindHost(String host) {
        try {
            if (host.equals("localhost") || InetAddress.getByName(host).isLoopbackAddress()) {
                return host;
            }
        } catch (UnknownHostException e) {
            // A name that does not resolve here (yet): listen everywhere.
        }
        return "0.0.0.0";
    }

    private static TimeDuration millis(Duration d) {
        return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------ proposals

    @Override
    public CompletableFuture<GuardResult> reserve(Reservation reservation, boolean firstUseAllowed, Instant deadline) {
        Objects.requireNonNull(reservation, "reservation");
        return propose(
                new GuardEntry.Reserve(settings.selfId(), System.currentTimeMillis(), reservation, firstUseAllowed),
                deadline);
    }

    @Override
    public CompletableFuture<GuardResult> recordSignature(
            BucketKey bucket, int level, int round, String digestHex, String signature, Instant deadline) {
        return propose(
                new GuardEntry.RecordSignature(
                        settings.selfId(), System.currentTimeMillis(), bucket, level, round, digestHex, signature),
                deadline);
    }

    @Override
    public CompletableFuture<GuardResult> recordDecision(
            String keyHash, String kind, String digestHex, boolean granted, String reason, Instant deadline) {
        return propose(
                new GuardEntry.RecordDecision(
                        settings.selfId(), System.currentTimeMillis(), keyHash, kind, digestHex, granted, reason),
                deadline);
    }

    @Override
    public CompletableFuture<GuardResult> raiseFloor(KeyChain keyChain, Floor floor, Instant deadline) {
        return propose(
                new GuardEntry.RaiseFloor(settings.selfId(), System.currentTimeMillis(), keyChain, floor), deadline);
    }

    @Override
    public CompletableFuture<GuardResult> importMarks(Map<BucketKey, Watermark> marks, Instant deadline) {
        return propose(new GuardEntry.ImportMarks(settings.selfId(), System.currentTimeMillis(), marks), deadline);
    }

    /**
     * Sends one entry and maps every outcome: a committed, applied entry is {@link
     * GuardResult.Decided}; anything else before the deadline (no leader, retries exhausted, a
     * refused entry, this replica closing) is {@link GuardResult.NoQuorum}.
     */
    private CompletableFuture<GuardResult> propose(GuardEntry entry, Instant deadline) {
        Objects.requireNonNull(deadline, "deadline");
        byte[] bytes;
        try {
            bytes = GuardCodec.encodeEntry(entry);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (closed.get()) {
            return noQuorum("replica " + settings.selfId() + " is shutting down");
        }
        Instant now = Instant.now();
        // The client's bounded retries end every attempt well before this cap anyway.
        long remaining = deadline.isAfter(now.plus(MAX_WAIT))
                ? MAX_WAIT.toMillis()
                : Duration.between(now, deadline).toMillis();
        if (remaining <= 0) {
            return noQuorum("the deadline passed before the entry could be proposed");
        }
        if (!inFlight.tryAcquire()) {
            return noQuorum(MAX_IN_FLIGHT + " proposals are already waiting for the cluster");
        }
        CompletableFuture<GuardResult> result = new CompletableFuture<>();
        Message message = Message.valueOf(ByteString.copyFrom(bytes));
        // Operator entries (floors, imports) always go through a client: applied twice, their second copy would be
        // refused as "not above" and the operator told so although the first copy took effect.
        Optional<CompletableFuture<RaftClientReply>> local =
                entry instanceof GuardEntry.RaiseFloor || entry instanceof GuardEntry.ImportMarks
                        ? Optional.empty()
                        : submitIfLeader(message);
        if (local.isPresent()) {
            local.get().whenComplete((reply, error) -> {
                if (error == null && reply.isSuccess()) {
                    inFlight.release();
                    result.complete(toResult(reply, null));
                } else if (result.isDone()) {
                    inFlight.release();
                } else {
                    // Leadership moved, or the leader could not take the entry yet: go through a client, which
                    // finds the leader and retries. If the first submission was appended and commits after all,
                    // the entry is applied twice, and the watermark rule judges the second copy like any other
                    // proposal (a repeat of the same bytes, or refused): never a second grant at a mark.
                    sendThroughClient(message, result, 0);
                }
            });
        } else {
            sendThroughClient(message, result, 0);
        }
        return result.completeOnTimeout(
                new GuardResult.NoQuorum("not committed within the deadline (" + remaining + " ms)"),
                remaining,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Submits the entry straight to this replica's own server when it is the ready leader: it saves the
     * client's gRPC round trip through loopback, two serializations and four thread hand-offs per
     * proposal (docs/performance.md, "Fifth session"). Empty when this replica does not lead (then a
     * client forwards the entry to the leader).
     */
    private Optional<CompletableFuture<RaftClientReply>> submitIfLeader(Message message) {
        if (!LOCAL_SUBMIT) {
            return Optional.empty();
        }
        try {
            RaftServer.Division d = server.getDivision(GROUP_ID);
            if (!d.getInfo().isLeader() || !d.getInfo().isLeaderReady()) {
                return Optional.empty();
            }
            RaftClientRequest request = RaftClientRequest.newBuilder()
                    .setClientId(localClientId)
                    .setServerId(selfId)
                    .setGroupId(GROUP_ID)
                    .setCallId(localCallIds.incrementAndGet())
                    .setMessage(message)
                    .setType(RaftClientRequest.writeRequestType())
                    .build();
            return Optional.of(server.submitClientRequestAsync(request));
        } catch (IOException | RuntimeException e) {
            // No division (not a member yet, or closing): the client path answers.
            return Optional.empty();
        }
    }

    /** Proposals this replica submitted to its own server as the leader (for tests). */
    long localSubmissions() {
        return localCallIds.get();
    }

    /**
     * Sends the entry through one of the proposal clients; completes {@code result} and frees the permit. A leader that
     * is handing leadership over refuses new entries with LeaderSteppingDownException, which Ratis' async client does
     * not retry: the entry is sent again shortly (it was not appended), while the deadline lasts.
     */
    private void sendThroughClient(Message message, CompletableFuture<GuardResult> result, int resends) {
        int slot = Math.floorMod(nextClient.getAndIncrement(), PROPOSAL_CLIENTS);
        RaftClient c = clients.get(slot);
        try {
            c.async().send(message).whenComplete((reply, error) -> {
                Throwable failure = error != null ? error : reply.getException();
                replaceIfClosed(slot, c, failure);
                if (causedBy(failure, LeaderSteppingDownException.class)
                        && resends < MAX_STEPPING_DOWN_RESENDS
                        && !result.isDone()
                        && !closed.get()) {
                    CompletableFuture.runAsync(
                            () -> sendThroughClient(message, result, resends + 1),
                            CompletableFuture.delayedExecutor(STEPPING_DOWN_PAUSE_MILLIS, TimeUnit.MILLISECONDS));
                    return;
                }
                inFlight.release();
                result.complete(toResult(reply, error));
            });
        } catch (RuntimeException e) {
            inFlight.release();
            result.complete(new GuardResult.NoQuorum("could not send the entry: " + e));
        }
    }

    /**
     * Ratis' ordered async client closes its request window for good once one request has used up its
     * retries (for example while a new leader is being elected); every later request then fails at
     * once with AlreadyClosedException. Such a client is replaced by a fresh one, so that a replica
     * recovers by itself after a failover instead of answering no-quorum until it is restarted.
     */
    private void replaceIfClosed(int slot, RaftClient used, Throwable error) {
        if (closed.get() || !windowClosed(error) || clients.get(slot) != used) {
            return;
        }
        RaftClient fresh;
        try {
            fresh = clientFactory.get();
        } catch (RuntimeException e) {
            LOG.warn("replica {}: could not open a new Raft client: {}", settings.selfId(), e.toString());
            return;
        }
        if (clients.compareAndSet(slot, used, fresh)) {
            LOG.warn(
                    "replica {}: the Raft client stopped accepting requests ({}); replaced it with a new one",
                    settings.selfId(),
                    describe(error));
            admin.execute(() -> closeClient(used));
        } else {
            closeClient(fresh);
        }
    }

    static boolean windowClosed(Throwable error) {
        return causedBy(error, AlreadyClosedException.class) || causedBy(error, RaftRetryFailureException.class);
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private void closeClient(RaftClient c) {
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("replica {}: closing a Raft client failed: {}", settings.selfId(), e.toString());
        }
    }

    private static GuardResult toResult(RaftClientReply reply, Throwable error) {
        if (error != null) {
            return new GuardResult.NoQuorum("cluster unavailable: " + describe(error));
        }
        if (!reply.isSuccess()) {
            return new GuardResult.NoQuorum("entry not committed: " + describe(reply.getException()));
        }
        try {
            GuardReply r =
                    GuardCodec.decodeReply(reply.getMessage().getContent().toByteArray());
            if (r instanceof GuardReply.Decided d) {
                return new GuardResult.Decided(d.decision(), d.logIndex());
            }
            if (r instanceof GuardReply.Invalid i) {
                return new GuardResult.NoQuorum("entry refused by the state machine: " + i.message());
            }
            return new GuardResult.NoQuorum(
                    "unexpected reply to an entry: " + r.getClass().getSimpleName());
        } catch (GuardCodec.MalformedException e) {
            return new GuardResult.NoQuorum("undecodable reply: " + e.getMessage());
        }
    }

    private static CompletableFuture<GuardResult> noQuorum(String reason) {
        return CompletableFuture.completedFuture(new GuardResult.NoQuorum(reason));
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "unknown failure";
        }
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }

    // ------------------------------------------------------------------ reads

    @Override
    public CompletableFuture<Map<BucketKey, Watermark>> watermarks() {
        return read(GuardCodec.QUERY_MARKS).thenApply(r -> {
            if (r instanceof GuardReply.Marks m) {
                return Map.copyOf(m.marks());
            }
            throw new CompletionException(new NoQuorumException("unexpected reply to a watermark read"));
        });
    }

    @Override
    public CompletableFuture<Map<KeyChain, Floor>> floors() {
        return read(GuardCodec.QUERY_FLOORS).thenApply(r -> {
            if (r instanceof GuardReply.Floors f) {
                return Map.copyOf(f.floors());
            }
            throw new CompletionException(new NoQuorumException("unexpected reply to a floor read"));
        });
    }

    /** A linearizable read (ReadIndex through the leader, s.1.5), failing with {@link NoQuorumException}. */
    private CompletableFuture<GuardReply> read(int query) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new NoQuorumException("replica is shutting down"));
        }
        CompletableFuture<GuardReply> result = new CompletableFuture<>();
        RaftClient used = clients.get(0);
        used.async()
                .sendReadOnlyUnordered(Message.valueOf(ByteString.copyFrom(GuardCodec.encodeQuery(query))))
                .whenComplete((reply, error) -> {
                    replaceIfClosed(0, used, error != null ? error : reply.getException());
                    if (error != null) {
                        result.completeExceptionally(new NoQuorumException("read failed: " + describe(error), error));
                    } else if (!reply.isSuccess()) {
                        result.completeExceptionally(
                                new NoQuorumException("read failed: " + describe(reply.getException())));
                    } else {
                        try {
                            result.complete(GuardCodec.decodeReply(
                                    reply.getMessage().getContent().toByteArray()));
                        } catch (GuardCodec.MalformedException e) {
                            result.completeExceptionally(new NoQuorumException("undecodable read reply", e));
                        }
                    }
                });
        return result.orTimeout(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(t -> {
            Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
            if (c instanceof TimeoutException) {
                return CompletableFuture.failedFuture(
                        new NoQuorumException("no linearizable read within " + READ_TIMEOUT.toMillis() + " ms"));
            }
            return CompletableFuture.failedFuture(c);
        });
    }

    @Override
    public Map<BucketKey, Watermark> localWatermarks() {
        return stateMachine.localMarks();
    }

    @Override
    public long leaderChanges() {
        return stateMachine.leaderChanges();
    }

    @Override
    public List<LogRecord> log(LogFilter filter) {
        return readLog("cannot read the watermark log", l -> l.read(filter));
    }

    @Override
    public List<LogRecord> log(LogFilter filter, boolean allHistories) {
        return allHistories ? readLog("cannot read the watermark log", l -> l.readAllHistories(filter)) : log(filter);
    }

    @Override
    public List<EarlierHistory> earlierHistories() {
        return readLog("cannot list the set-aside watermark logs", WatermarkLog::earlierHistories);
    }

    @Override
    public Optional<String> logHashAt(long index) {
        return readLog("cannot read the watermark log", l -> l.hashAtInAnyHistory(index));
    }

    /** A read of the watermark log; a failed read surfaces unchecked, with {@code what} as its message. */
    private interface LogRead<T> {
        T from(WatermarkLog log) throws IOException;
    }

    private <T> T readLog(String what, LogRead<T> read) {
        try {
            return read.from(stateMachine.log());
        } catch (IOException e) {
            throw new UncheckedIOException(what, e);
        }
    }

    @Override
    public Optional<String> watermarkLogDamage() {
        return stateMachine.log().damage();
    }

    @Override
    public ClusterStatus status() {
        long historyStart = stateMachine.log().startIndex();
        try {
            RaftServer.Division d = server.getDivision(GROUP_ID);
            DivisionInfo info = d.getInfo();
            List<ClusterStatus.Peer> peers = new ArrayList<>();
            Map<String, long[]> followers = info.isLeader() ? followerInfo(info) : Map.of();
            for (RaftPeer p : d.getRaftConf().getCurrentPeers()) {
                String id = p.getId().toString();
                long[] f = followers.get(id);
                peers.add(new ClusterStatus.Peer(
                        id,
                        p.getAddress(),
                        f == null || f[0] < 0 ? Optional.empty() : Optional.of(f[0]),
                        f == null ? Optional.empty() : Optional.of(f[1])));
            }
            peers.sort(Comparator.comparing(ClusterStatus.Peer::id));
            return new ClusterStatus(
                    settings.selfId(),
                    info.getCurrentRole().name(),
                    Optional.ofNullable(info.getLeaderId()).map(RaftPeerId::toString),
                    info.getCurrentTerm(),
                    d.getRaftLog().getLastCommittedIndex(),
                    info.getLastAppliedIndex(),
                    historyStart,
                    List.copyOf(peers));
        } catch (IOException | RuntimeException e) {
            // The division is gone (closed, or removed from the group).
            return new ClusterStatus(
                    settings.selfId(),
                    "UNKNOWN",
                    Optional.empty(),
                    0,
                    -1,
                    stateMachine.appliedIndex(),
                    historyStart,
                    List.of());
        }
    }

    /** Follower id -> {match index, ms since last contact}, as the leader sees them. */
    private static Map<String, long[]> followerInfo(DivisionInfo info) {
        RoleInfoProto role = info.getRoleInfoProto();
        if (!role.hasLeaderInfo()) {
            return Map.of();
        }
        // Ratis builds both from the leader's list of log appenders, in the same order; when the
        // membership changes between the two calls the lengths differ and the match index is left out.
        List<ServerRpcProto> followers = role.getLeaderInfo().getFollowerInfoList();
        long[] match = info.getFollowerMatchIndices();
        Map<String, long[]> out = new java.util.HashMap<>();
        for (int i = 0; i < followers.size(); i++) {
            ServerRpcProto f = followers.get(i);
            long m = match != null && match.length == followers.size() ? match[i] : -1;
            out.put(f.getId().getId().toStringUtf8(), new long[] {m, f.getLastRpcElapsedTimeMs()});
        }
        return out;
    }

    /** First index of the local Raft log (above 0 once entries were purged behind a snapshot). */
    long raftLogStartIndex() throws IOException {
        return server.getDivision(GROUP_ID).getRaftLog().getStartIndex();
    }

    @Override
    public boolean canCommitNow(long timeoutMillis) {
        if (closed.get() || timeoutMillis <= 0) {
            return false;
        }
        try {
            RaftClientReply reply = clients.get(0)
                    .async()
                    .sendReadOnlyUnordered(
                            Message.valueOf(ByteString.copyFrom(GuardCodec.encodeQuery(GuardCodec.QUERY_PING))))
                    .get(timeoutMillis, TimeUnit.MILLISECONDS);
            return reply.isSuccess()
                    && GuardCodec.decodeReply(reply.getMessage().getContent().toByteArray()) instanceof GuardReply.Pong;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | GuardCodec.MalformedException | RuntimeException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ membership and snapshots

    @Override
    public CompletableFuture<Void> addPeer(String id, String raftAddress) {
        PeerAddress peer = new PeerAddress(id, raftAddress);
        return adminCall(
                "add peer " + id,
                () -> clients.get(0)
                        .admin()
                        .setConfiguration(SetConfigurationRequest.Arguments.newBuilder()
                                .setServersInNewConf(List.of(toRaftPeer(peer)))
                                .setMode(SetConfigurationRequest.Mode.ADD)
                                .build()));
    }

    @Override
    public CompletableFuture<Void> removePeer(String id) {
        return adminCall("remove peer " + id, () -> {
            List<RaftPeer> current =
                    new ArrayList<>(server.getDivision(GROUP_ID).getRaftConf().getCurrentPeers());
            List<RaftPeer> next = current.stream()
                    .filter(p -> !p.getId().toString().equals(id))
                    .collect(Collectors.toList());
            if (next.size() == current.size()) {
                throw new IllegalArgumentException("peer " + id + " is not a member of the cluster");
            }
            if (next.isEmpty()) {
                throw new IllegalArgumentException("cannot remove the last member of the cluster");
            }
            // Compare-and-set: refused when this replica's view of the membership is stale.
            return clients.get(0)
                    .admin()
                    .setConfiguration(SetConfigurationRequest.Arguments.newBuilder()
                            .setServersInCurrentConf(current)
                            .setServersInNewConf(next)
                            .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
                            .build());
        });
    }

    @Override
    public CompletableFuture<Void> transferLeadership(String id) {
        return adminCall(
                "transfer leadership to " + id,
                () -> clients.get(0).admin().transferLeadership(RaftPeerId.valueOf(id), ADMIN_TIMEOUT.toMillis()));
    }

    @Override
    public CompletableFuture<Long> snapshot() {
        CompletableFuture<Long> result = new CompletableFuture<>();
        if (closed.get()) {
            result.completeExceptionally(new NoQuorumException("replica is shutting down"));
            return result;
        }
        admin.execute(() -> {
            try {
                RaftClientReply reply =
                        clients.get(0).getSnapshotManagementApi(selfId).create(true, ADMIN_TIMEOUT.toMillis());
                if (!reply.isSuccess()) {
                    result.completeExceptionally(
                            new NoQuorumException("snapshot failed: " + describe(reply.getException())));
                } else {
                    result.complete(reply.getLogIndex());
                }
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(new NoQuorumException("snapshot failed: " + describe(e), e));
            }
        });
        return result;
    }

    private interface AdminCall {
        RaftClientReply call() throws IOException;
    }

    private CompletableFuture<Void> adminCall(String what, AdminCall call) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        if (closed.get()) {
            result.completeExceptionally(new NoQuorumException("replica is shutting down"));
            return result;
        }
        admin.execute(() -> {
            try {
                RaftClientReply reply = call.call();
                if (reply.isSuccess()) {
                    LOG.info("replica {}: {} done", settings.selfId(), what);
                    result.complete(null);
                } else {
                    result.completeExceptionally(
                            new NoQuorumException(what + " failed: " + describe(reply.getException())));
                }
            } catch (IllegalArgumentException e) {
                result.completeExceptionally(e);
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(new NoQuorumException(what + " failed: " + describe(e), e));
            }
        });
        return result;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        admin.shutdownNow();
        for (int i = 0; i < clients.length(); i++) {
            closeClient(clients.get(i));
        }
        try {
            server.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("replica {}: closing the Raft server failed: {}", settings.selfId(), e.toString());
        }
        LOG.info("replica {} stopped", settings.selfId());
    }
}
