package io.starling.raft.aggregator;

import io.starling.core.aggregate.AggregationRule;
import io.starling.core.aggregate.BaseModels;
import io.starling.core.aggregate.DoublyWeightedAveraging;
import io.starling.core.aggregate.StaleUpdateException;
import io.starling.core.aggregate.StalenessBound;
import io.starling.core.param.ParamVector;
import io.starling.raft.blob.BlobException;
import io.starling.raft.blob.BlobReplicator;
import io.starling.raft.blob.BlobStore;
import io.starling.raft.history.HistoryRecorder;
import io.starling.raft.log.CheckpointCommitted;
import io.starling.raft.log.LogEntry;
import io.starling.raft.log.LogEntryCodec;
import io.starling.raft.ratis.CatchUpGrpcRpcType;
import io.starling.raft.state.ApplyOutcome;
import io.starling.raft.state.CheckpointStateMachine;
import io.starling.raft.state.CheckpointTiming;
import io.starling.raft.state.ReplicaEvents;
import io.starling.raft.state.StateMessages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica of the replicated aggregator: a Ratis {@link RaftServer} running a
 * {@link CheckpointStateMachine}, plus the leader's aggregation loop.
 *
 * <p>Design notes.
 * <ul>
 *   <li>The Raft leader is the aggregator. Updates arrive through {@link #submit}; a non-leader
 *       answers {@link NotLeaderException} with a leader hint. The leader buffers updates by id
 *       (a resend of a pending or committed id is absorbed once) and aggregates when
 *       {@code updatesPerCheckpoint} are pending or every {@code checkpointIntervalMs}. Each
 *       trained update enters as its delta against the model of its own base version, weighted by
 *       the group's rule for its staleness; an update more than {@code maxStaleness} versions
 *       behind is refused ({@link UpdateRejectedException.Reason#STALE}) so its client retrains
 *       on the latest model. Gossip models that clients hand back after a leaderless period are
 *       updates too, merged by doubly weighted averaging ({@link CheckpointAggregation}).
 *   <li>Model bytes never enter the log. The leader stores the new model blob, pushes it through
 *       the {@link BlobReplicator} and waits until a majority of voters (itself included) hold
 *       and have verified it; only then does it propose {@link CheckpointCommitted}.
 *   <li>An update is acknowledged when the state machine applies a checkpoint that includes it,
 *       on whichever replica the client asked. If the proposal is rejected (a newer leader moved
 *       the chain on) or fails, its updates go back to the pending buffer, minus any that are
 *       already committed: nothing is counted twice, nothing acknowledged is lost.
 *   <li>All leader work runs on one thread ({@code leaderWorker}); Ratis callbacks only enqueue.
 *   <li>Proposals go to this replica's own Raft server only, so a deposed leader's proposal fails
 *       instead of being forwarded. A leader that sees a voter answer without its log moving
 *       (Ratis can leave a replica restarted with an empty log behind) hands leadership to an
 *       up-to-date voter once ({@link StuckFollowerDetector}).
 *   <li>Rotation: after {@code termLengthMs} the leader transfers leadership to the next voter
 *       in id order. Membership: {@link #addPeer}/{@link #removePeer} use Ratis
 *       {@code setConfiguration}; listeners are non-voting Ratis members.
 * </ul>
 */
public final class ReplicatedAggregator implements AggregatorEndpoint, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedAggregator.class);

    /**
     * FOLLOWER: refers clients to the leader. ELECTED: Ratis made this replica leader but the
     * first entry of its term is not applied yet; it already accepts updates into the pending
     * buffer (so clients that found it need not come back) but does not aggregate. LEADER: serves.
     */
    private enum Role { FOLLOWER, ELECTED, LEADER, CLOSED }

    private final AggregatorConfig config;
    private final PeerAddress self;
    private final RaftGroup initialGroup;
    private final Path dataDir;
    private final BlobStore blobs;
    private final BlobReplicator replicator;
    private final AggregationRule rule;
    private final StalenessBound stalenessBound;
    private volatile DoublyWeightedAveraging mergeBackRule = new DoublyWeightedAveraging(0.5);
    private final ParamVector initialModel;
    private final HistoryRecorder history;
    private final CheckpointStateMachine stateMachine = new CheckpointStateMachine();
    private final List<ReplicaEvents> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** When the current leaderless period began (nanoTime), or -1 while a leader is known. */
    private final AtomicLong noLeaderSinceNanos = new AtomicLong(-1);
    private final java.util.concurrent.atomic.AtomicBoolean noLeaderReported = new java.util.concurrent.atomic.AtomicBoolean();

    private final ExecutorService leaderWorker;
    private final ScheduledExecutorService timer;
    private final ExecutorService blobFetcher;
    private final Map<String, ClientUpdate> pending = new LinkedHashMap<>();
    private final Map<String, CompletableFuture<UpdateAck>> waiters = new ConcurrentHashMap<>();
    private final Object pendingLock = new Object();
    private final AtomicInteger leaderEpoch = new AtomicInteger();
    private final AtomicLong rejectedProposals = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean blobFetchScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    private final List<ScheduledFuture<?>> leaderTimers = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Identifies this replica's own checkpoint proposals to its Raft server (retry cache key with the call id). */
    private final ClientId proposerId = ClientId.randomId();
    private final AtomicLong proposalCallId = new AtomicLong();

    private volatile Role role = Role.FOLLOWER;
    /** Steps of the leader's current checkpoint attempt ({@link #nowMs()}), reported once it is applied. */
    private volatile long attemptStartedAtMs;
    private volatile long replicationStartedAtMs;
    private volatile long blobReplicatedAtMs;
    private volatile String replicatedDigest;
    private RaftServer server;
    private RaftClient client;
    /** Models of recently committed versions: the parent and the bases of stale updates' deltas. */
    private final BaseModels recentModels;

    /**
     * @param config group settings
     * @param self this replica's address
     * @param voters the group's voting members (including {@code self} unless joining later)
     * @param listeners non-voting members that follow the state
     * @param dataDir this replica's own directory (Raft log, snapshots, blobs)
     * @param blobs this replica's blob store
     * @param replicator how blobs reach and come from the other replicas
     * @param initialModel the genesis model (identical on every replica)
     * @param history where to record commits, or null
     */
    public ReplicatedAggregator(AggregatorConfig config, PeerAddress self, List<PeerAddress> voters,
                                List<PeerAddress> listeners, Path dataDir, BlobStore blobs, BlobReplicator replicator,
                                ParamVector initialModel, HistoryRecorder history) {
        this.config = config;
        this.self = self;
        this.dataDir = dataDir;
        this.blobs = blobs;
        this.replicator = replicator;
        this.rule = config.rule();
        this.stalenessBound = config.stalenessBound();
        this.recentModels = BaseModels.forBound(stalenessBound, MAX_CACHED_MODELS);
        this.initialModel = initialModel.copy().requireFinite("initial model");
        this.history = history;
        List<RaftPeer> peers = new ArrayList<>();
        voters.forEach(p -> peers.add(p.toRaftPeer()));
        listeners.forEach(p -> peers.add(p.toRaftListener()));
        this.initialGroup = RaftGroup.valueOf(RaftGroupId.valueOf(java.util.UUID.fromString(config.groupId())), peers);
        this.leaderWorker = Executors.newSingleThreadExecutor(r -> daemon(r, "starling-leader-" + self.id()));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "starling-timer-" + self.id()));
        this.blobFetcher = Executors.newSingleThreadExecutor(r -> daemon(r, "starling-blobfetch-" + self.id()));
        stateMachine.addListener(new Events());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Adds a listener for replica events (leader changes, extended no-leader, applied entries).
     * "Extended no leader" is reported once per leaderless period: Ratis reports it only when a
     * follower turns candidate, so this replica also checks the leaderless time on its own timer.
     */
    public ReplicatedAggregator addListener(ReplicaEvents listener) {
        listeners.add(listener);
        return this;
    }

    /**
     * Sets how gossip hand-backs ({@link ClientUpdate#isHandBack()}) are merged with the global
     * model; default {@code doubly-weighted:lambda=0.5}. See {@link CheckpointAggregation}.
     */
    public ReplicatedAggregator mergeHandBacksWith(DoublyWeightedAveraging rule) {
        this.mergeBackRule = java.util.Objects.requireNonNull(rule, "rule");
        return this;
    }

    /** Starts the Raft server; the replica joins the election or follows the existing leader. */
    public synchronized ReplicatedAggregator start() throws IOException {
        blobs.put(initialModel.digest(), initialModel.toBytes());
        RaftProperties props = raftProperties();
        server = RaftServer.newBuilder()
                .setServerId(RaftPeerId.valueOf(self.id()))
                .setGroup(initialGroup)
                .setStateMachine(stateMachine)
                .setProperties(props)
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        server.start();
        long checkMs = Math.max(10, config.noLeaderTimeoutMs() / 4);
        timer.scheduleWithFixedDelay(this::checkNoLeader, checkMs, checkMs, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Ratis' retry policy syntax: wait 1 ms for 10 retries, then 200 ms for 50, then 1 s. */
    private static final String APPENDER_RETRY_POLICY = "1ms,10, 200ms,50, 1s,1000";

    private RaftProperties raftProperties() {
        RaftProperties p = new RaftProperties();
        CatchUpGrpcRpcType.install(p);
        // Ratis waits 5 s between retries to a follower after 30 failed ones (its default is
        // "1ms,10, 1s,20, 5s,1000"). A replica that was down for half a minute then needs 5 s for
        // every round of log matching once it is back. Retrying every second costs a connection
        // attempt and lets a restarted replica catch up in a few round trips.
        RaftServerConfigKeys.Log.Appender.setRetryPolicy(p, APPENDER_RETRY_POLICY);
        RaftServerConfigKeys.setStorageDir(p, List.of(dataDir.resolve("raft").toFile()));
        GrpcConfigKeys.Server.setHost(p, self.host());
        GrpcConfigKeys.Server.setPort(p, self.raftPort());
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(config.electionTimeoutMinMs(), TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(config.electionTimeoutMaxMs(), TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Notification.setNoLeaderTimeout(p, TimeDuration.valueOf(config.noLeaderTimeoutMs(), TimeUnit.MILLISECONDS));
        // A leader that misses a round of heartbeats from a majority (one slow follower while the
        // third replica is down) steps down; Ratis then keeps it out of elections for 10 s by
        // default. When it alone holds the newest log entry the other survivor cannot win, so the
        // group stalled for those 10 s. One election timeout is enough to let the others go first.
        RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(p,
                TimeDuration.valueOf(config.electionTimeoutMaxMs(), TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshotEveryEntries());
        RaftServerConfigKeys.Snapshot.setCreationGap(p, config.snapshotEveryEntries());
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(Integer.MAX_VALUE, config.snapshotEveryEntries()));
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(config.logSegmentBytes()));
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(config.commitTimeoutMs(), TimeUnit.MILLISECONDS));
        return p;
    }

    private RaftClient newClient(org.apache.ratis.retry.RetryPolicy retry) {
        RaftProperties p = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(config.commitTimeoutMs(), TimeUnit.MILLISECONDS));
        return RaftClient.newBuilder()
                .setRaftGroup(currentGroup())
                .setLeaderId(RaftPeerId.valueOf(self.id()))
                .setProperties(p)
                .setRetryPolicy(retry)
                .build();
    }

    private RaftGroup currentGroup() {
        if (server == null) {
            return initialGroup;
        }
        try {
            var conf = server.getDivision(initialGroup.getGroupId()).getRaftConf();
            List<RaftPeer> peers = new ArrayList<>(conf.getCurrentPeers());
            peers.addAll(conf.getCurrentPeers(RaftPeerRole.LISTENER));
            if (peers.isEmpty()) {
                return initialGroup;
            }
            return RaftGroup.valueOf(initialGroup.getGroupId(), peers);
        } catch (IOException e) {
            return initialGroup;
        }
    }

    @Override
    public String replicaId() {
        return self.id();
    }

    public PeerAddress address() {
        return self;
    }

    @Override
    public Optional<String> leaderHint() {
        return raftLeader();
    }

    /** True while this replica is the serving leader. */
    public boolean isLeader() {
        return role == Role.LEADER;
    }

    public CheckpointStateMachine stateMachine() {
        return stateMachine;
    }

    public List<CheckpointCommitted> chain() {
        return stateMachine.checkpoints();
    }

    public Optional<CheckpointCommitted> latest() {
        return stateMachine.latest();
    }

    /** Proposals of this replica that the chain rejected (stale parent or duplicate update). */
    public long rejectedProposals() {
        return rejectedProposals.get();
    }

    /** The model of the latest checkpoint, from this replica's blob store or fetched from a peer. */
    public Optional<ParamVector> latestModel() {
        return latest().map(this::modelOf);
    }

    @Override
    public CompletableFuture<UpdateAck> submit(ClientUpdate update) {
        OptionalLong done = stateMachine.committedIn(update.updateId());
        if (done.isPresent()) {
            return CompletableFuture.completedFuture(new UpdateAck(update.updateId(), done.getAsLong()));
        }
        if (role != Role.LEADER && role != Role.ELECTED) {
            return CompletableFuture.failedFuture(new NotLeaderException(self.id(), leaderHint()));
        }
        int dim = initialModel.size();
        if (update.model().size() != dim) {
            return CompletableFuture.failedFuture(new UpdateRejectedException(update.updateId(),
                    "model has " + update.model().size() + " parameters, the global model has " + dim));
        }
        int bad = update.model().firstNonFinite();
        if (bad >= 0) {
            return CompletableFuture.failedFuture(new UpdateRejectedException(update.updateId(),
                    "parameter " + bad + " is " + update.model().get(bad)));
        }
        Optional<StaleUpdateException> tooStale = tooStale(update);
        if (tooStale.isPresent()) {
            return CompletableFuture.failedFuture(UpdateRejectedException.stale(update.updateId(), tooStale.get()));
        }
        CompletableFuture<UpdateAck> waiter;
        int pendingCount;
        synchronized (pendingLock) {
            waiter = waiters.computeIfAbsent(update.updateId(), id -> new CompletableFuture<>());
            pending.putIfAbsent(update.updateId(), update);
            pendingCount = pending.size();
        }
        // The checkpoint may have been applied between the first check and registering the waiter.
        stateMachine.committedIn(update.updateId()).ifPresent(v -> completeWaiter(update.updateId(), v));
        if (pendingCount >= config.updatesPerCheckpoint()) {
            leaderWorker.execute(this::maybeCheckpoint);
        }
        return waiter.copy();
    }

    /**
     * Why a trained update is already too stale for the latest checkpoint, if it is. A base newer
     * than this replica's chain is not refused here: this leader may not have applied a checkpoint
     * that a follower already served; the update waits in the buffer until it has.
     */
    private Optional<StaleUpdateException> tooStale(ClientUpdate update) {
        Optional<CheckpointCommitted> latest = stateMachine.latest();
        if (update.isHandBack() || latest.isEmpty()) {
            return Optional.empty();
        }
        try {
            stalenessBound.stalenessOf(update.baseVersion(), latest.get().version());
            return Optional.empty();
        } catch (StaleUpdateException e) {
            return e.kind() == StaleUpdateException.Kind.FUTURE_VERSION ? Optional.empty() : Optional.of(e);
        }
    }

    private void completeWaiter(String updateId, long version) {
        CompletableFuture<UpdateAck> w = waiters.remove(updateId);
        if (w != null) {
            w.complete(new UpdateAck(updateId, version));
        }
    }

    /**
     * Ratis notifies leader changes only when a new leader is known, never when the old one is
     * lost, so the leaderless time is measured here from Ratis' own view of the leader.
     */
    private void checkNoLeader() {
        try {
            Optional<String> leader = raftLeader();
            if (leader.isPresent()) {
                noLeaderSinceNanos.set(-1);
                noLeaderReported.set(false);
                return;
            }
            noLeaderSinceNanos.compareAndSet(-1, System.nanoTime());
            long since = noLeaderSinceNanos.get();
            if (System.nanoTime() - since >= TimeUnit.MILLISECONDS.toNanos(config.noLeaderTimeoutMs())) {
                reportNoLeader();
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: no-leader check failed: {}", self.id(), e.toString());
        }
    }

    /** The leader as this replica's Raft server currently sees it. */
    private Optional<String> raftLeader() {
        if (server == null || role == Role.CLOSED) {
            return Optional.empty();
        }
        try {
            RaftPeerId id = server.getDivision(initialGroup.getGroupId()).getInfo().getLeaderId();
            return id == null ? Optional.empty() : Optional.of(id.toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void reportNoLeader() {
        if (role != Role.CLOSED && noLeaderReported.compareAndSet(false, true)) {
            LOG.info("{}: no leader for more than {} ms", self.id(), config.noLeaderTimeoutMs());
            listeners.forEach(ReplicaEvents::onExtendedNoLeader);
        }
    }

    // ---- leader side -------------------------------------------------------------------------

    private void becomeElected(int epoch) {
        if (role == Role.FOLLOWER && epoch == leaderEpoch.get()) {
            role = Role.ELECTED;
            LOG.info("{}: elected, accepting updates until the term's first entry is applied", self.id());
        }
    }

    private void becomeLeader(int epoch) {
        if (role == Role.CLOSED || epoch != leaderEpoch.get()) {
            return;
        }
        role = Role.LEADER;
        LOG.info("{}: serving as aggregator leader", self.id());
        cancelLeaderTimers();
        leaderTimers.add(timer.scheduleWithFixedDelay(() -> leaderWorker.execute(this::maybeCheckpoint),
                config.checkpointIntervalMs(), config.checkpointIntervalMs(), TimeUnit.MILLISECONDS));
        StuckFollowerDetector stuckFollowers = new StuckFollowerDetector(STUCK_FOLLOWER_MS, STUCK_FOLLOWER_RESPONSIVE_MS);
        leaderTimers.add(timer.scheduleWithFixedDelay(() -> leaderWorker.execute(() -> handOverIfFollowerStuck(epoch, stuckFollowers)),
                STUCK_FOLLOWER_CHECK_MS, STUCK_FOLLOWER_CHECK_MS, TimeUnit.MILLISECONDS));
        if (config.termLengthMs() > 0) {
            leaderTimers.add(timer.schedule(() -> leaderWorker.execute(() -> rotate(epoch)),
                    config.termLengthMs(), TimeUnit.MILLISECONDS));
        }
        try {
            ensureGenesis();
        } catch (RuntimeException e) {
            LOG.warn("{}: genesis not committed yet: {}", self.id(), e.toString());
        }
        // Updates resent while this replica was ELECTED need not wait for the first timer tick.
        maybeCheckpoint();
    }

    private void stepDown() {
        if (role == Role.LEADER) {
            LOG.info("{}: no longer leader", self.id());
        }
        if (role != Role.CLOSED) {
            role = Role.FOLLOWER;
        }
        cancelLeaderTimers();
        List<String> dropped;
        synchronized (pendingLock) {
            dropped = new ArrayList<>(pending.keySet());
            pending.clear();
        }
        NotLeaderException notLeader = new NotLeaderException(self.id(), leaderHint());
        for (String id : dropped) {
            CompletableFuture<UpdateAck> w = waiters.remove(id);
            if (w != null) {
                w.completeExceptionally(notLeader);
            }
        }
    }

    private void cancelLeaderTimers() {
        leaderTimers.forEach(f -> f.cancel(false));
        leaderTimers.clear();
    }

    private void ensureGenesis() {
        if (stateMachine.latest().isPresent()) {
            return;
        }
        attemptStartedAtMs = nowMs();
        byte[] bytes = initialModel.toBytes();
        String digest = initialModel.digest();
        replicateToMajority(digest, bytes);
        propose(CheckpointCommitted.genesis(digest, bytes.length, self.id()));
    }

    /** Aggregates pending updates into the next checkpoint, if this replica leads and has any. */
    private void maybeCheckpoint() {
        if (role != Role.LEADER) {
            return;
        }
        List<ClientUpdate> batch = new ArrayList<>();
        List<ClientUpdate> deferred = new ArrayList<>();
        try {
            ensureGenesis();
            CheckpointCommitted parent = stateMachine.latest().orElseThrow(
                    () -> new IllegalStateException("genesis checkpoint is not applied yet"));
            attemptStartedAtMs = nowMs();
            synchronized (pendingLock) {
                var it = pending.values().iterator();
                while (it.hasNext() && batch.size() < config.updatesPerCheckpoint()) {
                    ClientUpdate u = it.next();
                    it.remove();
                    OptionalLong done = stateMachine.committedIn(u.updateId());
                    if (done.isPresent()) {
                        completeWaiter(u.updateId(), done.getAsLong());
                    } else {
                        batch.add(u);
                    }
                }
            }
            Map<Long, ParamVector> bases = baseModelsOrRefuse(parent, batch, deferred);
            if (batch.isEmpty()) {
                return;
            }
            ParamVector global = modelOf(parent);
            CheckpointAggregation.Next aggregated = CheckpointAggregation.aggregate(rule, mergeBackRule, stalenessBound,
                    parent, global, bases, batch);
            ParamVector next = aggregated.model();
            byte[] bytes = next.toBytes();
            String digest = next.digest();
            replicateToMajority(digest, bytes);
            CheckpointCommitted entry = new CheckpointCommitted(parent.version() + 1, parent.version(), digest,
                    bytes.length, batch.stream().map(ClientUpdate::updateId).toList(), self.id(), aggregated.metrics());
            ApplyOutcome outcome = propose(entry);
            if (outcome instanceof ApplyOutcome.Applied) {
                synchronized (recentModels) {
                    recentModels.put(entry.version(), next);
                }
                batch.clear();
            } else {
                rejectedProposals.incrementAndGet();
                LOG.info("{}: checkpoint {} not applied: {}", self.id(), entry.version(), outcome);
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: checkpoint attempt failed, updates stay pending: {}", self.id(), e.toString());
        } finally {
            requeue(batch);
            requeue(deferred);
        }
    }

    /**
     * The model of every trained update's base version, loading it from the blob store (or a peer)
     * when it is not among the recent models. Updates that break the staleness bound at
     * {@code parent}, or whose base model cannot be had, are removed from {@code batch} and
     * refused with {@link UpdateRejectedException.Reason#STALE}: the client trains again on the
     * latest model. Updates based on a version newer than {@code parent} move to {@code deferred}
     * (see {@link #tooStale}). Whether an update is used thus depends on the chain alone, never on
     * what this replica happens to cache.
     */
    private Map<Long, ParamVector> baseModelsOrRefuse(CheckpointCommitted parent, List<ClientUpdate> batch,
                                                     List<ClientUpdate> deferred) {
        Map<Long, ParamVector> bases = new HashMap<>();
        var it = batch.iterator();
        while (it.hasNext()) {
            ClientUpdate u = it.next();
            if (u.isHandBack()) {
                continue;
            }
            try {
                stalenessBound.stalenessOf(u.baseVersion(), parent.version());
                if (!bases.containsKey(u.baseVersion())) {
                    bases.put(u.baseVersion(), baseModel(u.baseVersion(), parent.version()));
                }
            } catch (StaleUpdateException e) {
                it.remove();
                if (e.kind() == StaleUpdateException.Kind.FUTURE_VERSION) {
                    deferred.add(u);
                } else {
                    refuse(u, UpdateRejectedException.stale(u.updateId(), e));
                }
            }
        }
        return bases;
    }

    private ParamVector baseModel(long version, long current) {
        CheckpointCommitted base = stateMachine.checkpoint(version).orElseThrow(() -> new StaleUpdateException(
                StaleUpdateException.Kind.BASE_UNAVAILABLE, version, current, "version " + version + " is not in the chain"));
        try {
            return modelOf(base);
        } catch (BlobException e) {
            throw new StaleUpdateException(StaleUpdateException.Kind.BASE_UNAVAILABLE, version, current,
                    "the model of base version " + version + " is unavailable (" + e.getMessage() + ")");
        }
    }

    private void refuse(ClientUpdate u, UpdateRejectedException why) {
        LOG.info("{}: refusing {}: {}", self.id(), u.updateId(), why.getMessage());
        CompletableFuture<UpdateAck> w = waiters.remove(u.updateId());
        if (w != null) {
            w.completeExceptionally(why);
        }
    }

    private void requeue(List<ClientUpdate> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<ClientUpdate> back = new ArrayList<>();
        for (ClientUpdate u : batch) {
            OptionalLong done = stateMachine.committedIn(u.updateId());
            if (done.isPresent()) {
                completeWaiter(u.updateId(), done.getAsLong());
            } else {
                back.add(u);
            }
        }
        if (role != Role.LEADER) {
            NotLeaderException notLeader = new NotLeaderException(self.id(), leaderHint());
            back.forEach(u -> {
                CompletableFuture<UpdateAck> w = waiters.remove(u.updateId());
                if (w != null) {
                    w.completeExceptionally(notLeader);
                }
            });
            return;
        }
        synchronized (pendingLock) {
            LinkedHashMap<String, ClientUpdate> merged = new LinkedHashMap<>();
            back.forEach(u -> merged.put(u.updateId(), u));
            pending.forEach(merged::putIfAbsent);
            pending.clear();
            pending.putAll(merged);
        }
    }

    /**
     * Stores a blob, pushes it to every peer and returns once a majority of voters (self included)
     * hold it.
     */
    private void replicateToMajority(String digest, byte[] bytes) {
        replicationStartedAtMs = nowMs();
        replicatedDigest = null;
        RaftGroup group = currentGroup();
        List<String> voters = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (RaftPeer p : group.getPeers()) {
            String id = p.getId().toString();
            if (id.equals(self.id())) {
                continue;
            }
            if (p.getStartupRole() == RaftPeerRole.LISTENER) {
                others.add(id);
            } else {
                voters.add(id);
            }
        }
        int needed = (voters.size() + 1) / 2; // a majority of all voters, minus this replica
        others.forEach(id -> replicator.push(id, digest, bytes));
        if (needed <= 0) {
            voters.forEach(id -> replicator.push(id, digest, bytes));
            blobs.put(digest, bytes);
            markReplicated(digest);
            return;
        }
        CompletableFuture<Void> quorum = new CompletableFuture<>();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        int maxFailures = voters.size() - needed;
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (String id : voters) {
            replicator.push(id, digest, bytes).whenComplete((v, err) -> {
                if (err == null) {
                    if (ok.incrementAndGet() >= needed) {
                        quorum.complete(null);
                    }
                } else {
                    errors.add(id + ": " + rootMessage(err));
                    if (failed.incrementAndGet() > maxFailures) {
                        quorum.completeExceptionally(new BlobException("blob " + digest.substring(0, 12)
                                + " reached too few replicas for a majority: " + errors));
                    }
                }
            });
        }
        // The local fsynced write overlaps the peers' transfers and writes instead of preceding them.
        blobs.put(digest, bytes);
        try {
            quorum.get(config.blobReplicationTimeoutMs(), TimeUnit.MILLISECONDS);
            markReplicated(digest);
        } catch (TimeoutException e) {
            throw new BlobException("blob " + digest.substring(0, 12) + " did not reach a majority within "
                    + config.blobReplicationTimeoutMs() + " ms (" + ok.get() + " of " + needed + " peer acks)");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof BlobException b ? b : new BlobException(rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlobException("interrupted while replicating blob " + digest.substring(0, 12), e);
        }
    }

    private void markReplicated(String digest) {
        blobReplicatedAtMs = nowMs();
        replicatedDigest = digest;
    }

    /** Tells listeners when the steps of this replica's own checkpoint {@code c} happened. */
    private void reportTiming(CheckpointCommitted c) {
        String digest = replicatedDigest;
        if (!c.proposer().equals(self.id()) || !c.digest().equals(digest)) {
            return;
        }
        replicatedDigest = null;
        long started = attemptStartedAtMs;
        long replicating = replicationStartedAtMs;
        long replicated = blobReplicatedAtMs;
        long applied = nowMs();
        if (started <= replicating && replicating <= replicated && replicated <= applied) {
            CheckpointTiming timing = new CheckpointTiming(c.version(), started, replicating, replicated, applied);
            listeners.forEach(l -> l.onCheckpointTiming(timing));
        }
    }

    private static long nowMs() {
        return CheckpointTiming.nowMs();
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && (c instanceof java.util.concurrent.CompletionException || c instanceof ExecutionException)) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    /** This replica's own Raft client, created on first use (a joining replica has no group yet). */
    private synchronized RaftClient client() {
        if (client == null) {
            client = newClient(RetryPolicies.noRetry());
        }
        return client;
    }

    /**
     * Appends {@code entry} through this replica's own Raft server and no other. A Raft client
     * would follow the NotLeader redirect of a deposed leader to the new one, which then appended
     * the deposed leader's checkpoint (found by {@code PartitionTest}); submitted locally, the
     * proposal fails at once when this replica no longer leads.
     */
    private ApplyOutcome propose(LogEntry entry) {
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(proposerId)
                .setLeaderId(server.getId())
                .setGroupId(initialGroup.getGroupId())
                .setCallId(proposalCallId.incrementAndGet())
                .setMessage(Message.valueOf(ByteString.copyFrom(LogEntryCodec.encode(entry))))
                .setType(RaftClientRequest.writeRequestType())
                .build();
        RaftClientReply reply;
        try {
            reply = server.submitClientRequestAsync(request).get(config.commitTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new ProposalFailedException(self.id(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProposalFailedException(self.id(), e);
        }
        if (!reply.isSuccess()) {
            throw new ProposalFailedException(self.id(), reply.getException());
        }
        return StateMessages.decodeOutcome(reply.getMessage().getContent().toByteArray());
    }

    private void rotate(int epoch) {
        if (role != Role.LEADER || epoch != leaderEpoch.get()) {
            return;
        }
        Optional<String> next = nextEligible();
        if (next.isEmpty()) {
            return;
        }
        LOG.info("{}: term length {} ms reached, transferring leadership to {}", self.id(), config.termLengthMs(), next.get());
        try {
            RaftClientReply reply = client().admin().transferLeadership(RaftPeerId.valueOf(next.get()),
                    Math.max(config.electionTimeoutMaxMs() * 10, 3_000));
            if (!reply.isSuccess()) {
                throw new IOException(String.valueOf(reply.getException()));
            }
        } catch (IOException e) {
            LOG.warn("{}: leadership transfer to {} failed, retrying next term: {}", self.id(), next.get(), e.toString());
            if (role == Role.LEADER && epoch == leaderEpoch.get()) {
                leaderTimers.add(timer.schedule(() -> leaderWorker.execute(() -> rotate(epoch)),
                        config.termLengthMs(), TimeUnit.MILLISECONDS));
            }
        }
    }

    /** A follower whose commit index has not moved for this long while it answers is stuck. */
    private static final long STUCK_FOLLOWER_MS = 10_000;
    /** Answered within this long: alive (Ratis backs off up to 5 s between retries to a lagging follower). */
    private static final long STUCK_FOLLOWER_RESPONSIVE_MS = 8_000;
    private static final long STUCK_FOLLOWER_CHECK_MS = 1_000;

    /**
     * Works around a Ratis 3.3 catch-up stall ({@link StuckFollowerDetector}): when a voter that
     * answers has not moved its commit index for {@value #STUCK_FOLLOWER_MS} ms, this leader hands
     * leadership to an up-to-date voter, whose fresh view of the followers lets the stuck one catch
     * up. At most once per leadership.
     */
    private void handOverIfFollowerStuck(int epoch, StuckFollowerDetector detector) {
        if (role != Role.LEADER || epoch != leaderEpoch.get()) {
            return;
        }
        try {
            List<StuckFollowerDetector.Follower> followers = followerProgress().stream()
                    .filter(FollowerProgress::voter)
                    .map(f -> new StuckFollowerDetector.Follower(f.id(), f.commitIndex(), f.lastResponseElapsedMs()))
                    .toList();
            long nowMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
            long committed = server.getDivision(initialGroup.getGroupId()).getRaftLog().getLastCommittedIndex();
            Optional<String> to = detector.observe(nowMs, committed, followers);
            if (to.isPresent()) {
                LOG.warn("{}: a follower answers but its log has not moved for {} ms ({}); handing leadership to {} so that it catches up",
                        self.id(), STUCK_FOLLOWER_MS, followers, to.get());
                transferLeadership(to.get(), Math.max(config.electionTimeoutMaxMs() * 10, 3_000));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: stuck-follower check failed: {}", self.id(), e.toString());
        }
    }

    /** The voter after this one in id order (wrapping): who leads next under rotation. */
    Optional<String> nextEligible() {
        List<String> ids = currentGroup().getPeers().stream()
                .filter(p -> p.getStartupRole() != RaftPeerRole.LISTENER)
                .map(p -> p.getId().toString())
                .sorted(Comparator.naturalOrder())
                .toList();
        if (ids.size() < 2) {
            return Optional.empty();
        }
        int i = ids.indexOf(self.id());
        return Optional.of(ids.get((i + 1) % ids.size()));
    }

    /** Asks the current leader to hand over to {@code peerId}. Must be called on the leader. */
    public void transferLeadership(String peerId, long timeoutMs) throws IOException {
        RaftClientReply reply = client().admin().transferLeadership(RaftPeerId.valueOf(peerId), timeoutMs);
        if (!reply.isSuccess()) {
            throw new IOException("leadership transfer to " + peerId + " failed: " + reply.getException());
        }
    }

    /**
     * Adds a replica to the group at run time, as a voter or a non-voting listener; it must already
     * be started (with no peers, as a joining replica). A member already in the group changes role:
     * adding a listener as a voter promotes it (it already holds the state, so it can be elected at
     * once), adding a voter as a listener demotes it. Call on the leader.
     */
    public void addPeer(PeerAddress peer, boolean asListener) throws IOException {
        var conf = server.getDivision(initialGroup.getGroupId()).getRaftConf();
        List<RaftPeer> voters = new ArrayList<>(conf.getCurrentPeers());
        List<RaftPeer> listeners = new ArrayList<>(conf.getCurrentPeers(RaftPeerRole.LISTENER));
        voters.removeIf(p -> p.getId().toString().equals(peer.id()));
        listeners.removeIf(p -> p.getId().toString().equals(peer.id()));
        (asListener ? listeners : voters).add(asListener ? peer.toRaftListener() : peer.toRaftPeer());
        setConfiguration(voters, listeners);
    }

    /** Removes a replica (voter or listener) from the group at run time. Call on the leader. */
    public void removePeer(String peerId) throws IOException {
        var conf = server.getDivision(initialGroup.getGroupId()).getRaftConf();
        List<RaftPeer> voters = new ArrayList<>(conf.getCurrentPeers());
        List<RaftPeer> listeners = new ArrayList<>(conf.getCurrentPeers(RaftPeerRole.LISTENER));
        voters.removeIf(p -> p.getId().toString().equals(peerId));
        listeners.removeIf(p -> p.getId().toString().equals(peerId));
        setConfiguration(voters, listeners);
    }

    private void setConfiguration(List<RaftPeer> voters, List<RaftPeer> listeners) throws IOException {
        try (RaftClient admin = newClient(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                20, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))) {
            RaftClientReply reply = admin.admin().setConfiguration(SetConfigurationRequest.Arguments.newBuilder()
                    .setServersInNewConf(voters)
                    .setListenersInNewConf(listeners)
                    .build());
            if (!reply.isSuccess()) {
                throw new IOException("setConfiguration failed: " + reply.getException());
            }
        }
    }

    /**
     * Replicates Starling settings (a {@link io.starling.raft.log.ConfigChanged} entry; an empty
     * value removes a key) and returns once every replica will apply them. Call on the leader.
     *
     * @throws IOException if the entry could not be committed
     */
    public void proposeSettings(Map<String, String> settings) throws IOException {
        try {
            ApplyOutcome outcome = propose(io.starling.raft.log.ConfigChanged.of(settings));
            if (outcome instanceof ApplyOutcome.Rejected r) {
                throw new IOException("settings " + settings.keySet() + " rejected: " + r.reason());
            }
        } catch (ProposalFailedException e) {
            throw new IOException("settings " + settings.keySet() + " not committed: " + e.getMessage(), e);
        }
    }

    /** The Raft address ("host:port") of every voter and listener in the current configuration, by id. */
    public Map<String, String> raftAddresses() {
        Map<String, String> out = new TreeMap<>();
        currentGroup().getPeers().forEach(p -> out.put(p.getId().toString(), p.getAddress()));
        return out;
    }

    /** The voters and listeners of the current Raft configuration, by id. */
    public Map<String, Boolean> membership() throws IOException {
        var conf = server.getDivision(initialGroup.getGroupId()).getRaftConf();
        Map<String, Boolean> out = new TreeMap<>();
        conf.getCurrentPeers().forEach(p -> out.put(p.getId().toString(), true));
        conf.getCurrentPeers(RaftPeerRole.LISTENER).forEach(p -> out.put(p.getId().toString(), false));
        return out;
    }

    /**
     * Where this replica's Raft log stands. An entry between {@code committedIndex} and
     * {@code lastAppendedIndex} is appended but not (yet) committed: a deposed leader's unfinished
     * proposal sits there until the new leader overwrites it.
     *
     * @param lastAppendedIndex index of the last entry in the log (-1 when empty)
     * @param committedIndex highest index this replica knows to be committed
     */
    public record RaftLogPosition(long lastAppendedIndex, long committedIndex) {
    }

    /** This replica's Raft log position, as Ratis reports it. */
    public RaftLogPosition raftLogPosition() throws IOException {
        var log = server.getDivision(initialGroup.getGroupId()).getRaftLog();
        var last = log.getLastEntryTermIndex();
        return new RaftLogPosition(last == null ? -1 : last.getIndex(), log.getLastCommittedIndex());
    }

    /**
     * What a leader knows of one follower: the follower's commit index as last reported, and how
     * long ago it last answered.
     */
    public record FollowerProgress(String id, boolean voter, long commitIndex, long lastResponseElapsedMs) {
    }

    /** The followers as this replica sees them while it leads; empty when it does not lead. */
    public List<FollowerProgress> followerProgress() throws IOException {
        RaftServer.Division division = server.getDivision(initialGroup.getGroupId());
        var roleInfo = division.getInfo().getRoleInfoProto();
        if (!roleInfo.hasLeaderInfo()) {
            return List.of();
        }
        java.util.Set<String> voters = new java.util.HashSet<>();
        division.getRaftConf().getCurrentPeers().forEach(p -> voters.add(p.getId().toString()));
        Map<String, Long> commits = new java.util.HashMap<>();
        division.getCommitInfos().forEach(ci -> commits.put(RaftPeerId.valueOf(ci.getServer().getId()).toString(), ci.getCommitIndex()));
        List<FollowerProgress> followers = new ArrayList<>();
        for (var f : roleInfo.getLeaderInfo().getFollowerInfoList()) {
            String id = RaftPeerId.valueOf(f.getId().getId()).toString();
            followers.add(new FollowerProgress(id, voters.contains(id), commits.getOrDefault(id, -1L), f.getLastRpcElapsedTimeMs()));
        }
        return followers;
    }

    /** This replica's Raft role as Ratis reports it (LEADER, FOLLOWER, CANDIDATE, LISTENER). */
    public String raftRole() throws IOException {
        return server.getDivision(initialGroup.getGroupId()).getInfo().getCurrentRole().name();
    }

    // ---- blobs ---------------------------------------------------------------------------------

    /** Most committed models kept in memory (the rest are read from the blob store when needed). */
    private static final int MAX_CACHED_MODELS = 8;

    /** The model of a committed checkpoint: from the recent models, the blob store, or a peer. */
    private ParamVector modelOf(CheckpointCommitted checkpoint) {
        synchronized (recentModels) {
            Optional<ParamVector> cached = recentModels.get(checkpoint.version());
            if (cached.isPresent()) {
                return cached.get();
            }
        }
        byte[] bytes = blobs.get(checkpoint.digest()).orElseGet(() -> fetchFromPeers(checkpoint.digest()));
        ParamVector model = ParamVector.fromBytes(bytes);
        synchronized (recentModels) {
            recentModels.put(checkpoint.version(), model);
        }
        return model;
    }

    private byte[] fetchFromPeers(String digest) {
        List<String> tried = new ArrayList<>();
        for (RaftPeer p : currentGroup().getPeers()) {
            String id = p.getId().toString();
            if (id.equals(self.id())) {
                continue;
            }
            try {
                byte[] bytes = replicator.fetch(id, digest).get(config.blobReplicationTimeoutMs(), TimeUnit.MILLISECONDS);
                blobs.put(digest, bytes);
                return bytes;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BlobException("interrupted while fetching blob " + digest, e);
            } catch (ExecutionException | TimeoutException e) {
                tried.add(id + " (" + rootMessage(e) + ")");
            }
        }
        throw new BlobException.NotFound(digest, "any peer: " + tried);
    }

    /** Makes sure this replica holds the latest checkpoint's blob, fetching it in the background. */
    private void fetchLatestBlobLater() {
        if (role == Role.CLOSED || !blobFetchScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            // Give the leader's own push time to land before pulling a second copy.
            timer.schedule(() -> blobFetcher.execute(this::fetchLatestBlobNow), BLOB_FETCH_DELAY_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("{}: closing, no blob fetch", self.id());
        }
    }

    private void fetchLatestBlobNow() {
        blobFetchScheduled.set(false);
        Optional<CheckpointCommitted> latest = stateMachine.latest();
        if (latest.isEmpty() || blobs.contains(latest.get().digest()) || role == Role.CLOSED) {
            return;
        }
        try {
            fetchFromPeers(latest.get().digest());
        } catch (BlobException e) {
            LOG.info("{}: cannot fetch blob of checkpoint {} yet: {}", self.id(), latest.get().version(), e.getMessage());
        }
    }

    private static final long BLOB_FETCH_DELAY_MS = 1_000;

    /** True when this replica's own store holds the latest checkpoint's verified blob. */
    public boolean holdsLatestBlob() {
        return latest().map(c -> blobs.get(c.digest()).isPresent()).orElse(false);
    }

    // ---- lifecycle -----------------------------------------------------------------------------

    /** Stops the Raft server and fails every waiting submission; idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (role == Role.CLOSED) {
            return;
        }
        role = Role.CLOSED;
        leaderEpoch.incrementAndGet();
        cancelLeaderTimers();
        timer.shutdownNow();
        leaderWorker.shutdownNow();
        blobFetcher.shutdownNow();
        NotLeaderException closed = new NotLeaderException(self.id(), Optional.empty());
        waiters.values().forEach(w -> w.completeExceptionally(closed));
        waiters.clear();
        IOException failure = null;
        try {
            if (client != null) {
                client.close();
            }
        } catch (IOException e) {
            failure = e;
        }
        if (server != null) {
            server.close();
        }
        try {
            leaderWorker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Routes state machine events to the leader loop, waiters and history. */
    private final class Events implements ReplicaEvents {
        @Override
        public void onLeaderChanged(String newLeader) {
            if (newLeader.equals(self.id())) {
                int epoch = leaderEpoch.get();
                submitToWorker(() -> becomeElected(epoch));
            } else {
                leaderEpoch.incrementAndGet();
                submitToWorker(ReplicatedAggregator.this::stepDown);
            }
            listeners.forEach(l -> l.onLeaderChanged(newLeader));
        }

        @Override
        public void onLeaderReady() {
            int epoch = leaderEpoch.incrementAndGet();
            submitToWorker(() -> becomeLeader(epoch));
            listeners.forEach(ReplicaEvents::onLeaderReady);
        }

        @Override
        public void onNotLeader() {
            // Also when not (yet) serving: an ELECTED replica may be deposed before it is ready.
            leaderEpoch.incrementAndGet();
            submitToWorker(ReplicatedAggregator.this::stepDown);
            listeners.forEach(ReplicaEvents::onNotLeader);
        }

        @Override
        public void onExtendedNoLeader() {
            reportNoLeader();
        }

        @Override
        public void onApplied(LogEntry entry, ApplyOutcome outcome, long logIndex) {
            if (entry instanceof CheckpointCommitted c && outcome instanceof ApplyOutcome.Applied) {
                if (history != null) {
                    history.commit(self.id(), c);
                }
                reportTiming(c);
                for (String id : c.includedUpdateIds()) {
                    synchronized (pendingLock) {
                        pending.remove(id);
                    }
                    completeWaiter(id, c.version());
                }
                if (role != Role.LEADER) {
                    fetchLatestBlobLater();
                }
            }
            listeners.forEach(l -> l.onApplied(entry, outcome, logIndex));
        }

        @Override
        public void onRestored(List<CheckpointCommitted> chain, long logIndex) {
            if (history != null) {
                history.restore(self.id(), chain);
            }
            if (server != null) {
                fetchLatestBlobLater();
            }
            listeners.forEach(l -> l.onRestored(chain, logIndex));
        }

        private void submitToWorker(Runnable r) {
            if (role != Role.CLOSED) {
                try {
                    leaderWorker.execute(r);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    LOG.debug("{}: worker stopped, dropping event", self.id());
                }
            }
        }
    }
}
