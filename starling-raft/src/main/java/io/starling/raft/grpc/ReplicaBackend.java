package io.starling.raft.grpc;

import io.starling.core.param.ParamVector;
import io.starling.net.aggregator.AggregatorBackend;
import io.starling.net.aggregator.UpdateSubmission;
import io.starling.net.blob.BlobDigest;
import io.starling.net.model.TaskView;
import io.starling.net.proto.Announcement;
import io.starling.net.proto.ModelRef;
import io.starling.net.proto.NewModel;
import io.starling.net.proto.UpdateAck;
import io.starling.net.proto.UpdateRefusal;
import io.starling.net.transport.LeaderRedirectException;
import io.starling.net.transport.RejectedRequestException;
import io.starling.raft.aggregator.CheckpointAggregation;
import io.starling.raft.aggregator.ClientUpdate;
import io.starling.raft.aggregator.NotLeaderException;
import io.starling.raft.aggregator.ReplicatedAggregator;
import io.starling.raft.aggregator.UpdateRejectedException;
import io.starling.raft.log.CheckpointCommitted;
import io.starling.raft.log.LogEntry;
import io.starling.raft.state.ApplyOutcome;
import io.starling.raft.state.ReplicaEvents;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a {@link ReplicatedAggregator} behind {@code starling-net}'s {@code Aggregator} service.
 * The service checks every request (ids, task, blob, dimension, NaN/Inf); this adapter decides
 * who may take it and when it is acknowledged:
 * <ul>
 *   <li>{@link #admit}: a replica that does not lead refuses with {@link LeaderRedirectException}
 *       (FAILED_PRECONDITION, leader id and gRPC address in the trailers), unless the update is
 *       already committed, in which case any replica acknowledges it.
 *   <li>{@link #submit}: queues the update at the leader. SubmitUpdate returns at once; the
 *       acknowledgement follows on the submitter's WatchVersions stream as {@code UpdateAck} once a
 *       committed checkpoint includes the update, or an {@code UpdateRefusal} with reason
 *       {@code NOT_LEADER} when the leader stepped down first (resend it elsewhere), or
 *       {@code STALE_UPDATE} when its base version is too old to aggregate (train again on the
 *       latest model).
 *   <li>Every watcher gets {@code NewModel} for the current checkpoint when it subscribes and for
 *       every checkpoint this replica applies after that, so any participant can follow the model
 *       (GetModel / Blob.Fetch).
 * </ul>
 * The replicated aggregator serves one task; its staleness bound is the replica's business (it
 * refuses on the watch stream with {@code STALE_UPDATE}, a permanent answer, while the service's
 * OUT_OF_RANGE means "try again"), so the service's staleness limit is off.
 */
public final class ReplicaBackend implements AggregatorBackend, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaBackend.class);
    /** Refusal reason sent when the leader that queued an update stopped leading before committing it. */
    public static final String NOT_LEADER = "NOT_LEADER";
    /**
     * Refusal reason for an update too stale to aggregate (base version beyond {@code maxStaleness}
     * or its model unavailable): the client should fetch the latest model and train again.
     */
    public static final String STALE_UPDATE = "STALE_UPDATE";
    /** Refusal reason sent when the aggregator refused an update it had queued. */
    public static final String REJECTED = "REJECTED";

    private final ReplicatedAggregator replica;
    private final MemberDirectory directory;
    private final String taskId;
    private final String modelSpec;
    private final int dimension;
    private final String genesisDigest;
    private final long genesisBytes;
    private final Map<Long, Watch> watches = new ConcurrentHashMap<>();
    private final AtomicLong watchIds = new AtomicLong();
    /** One thread sends every announcement, so each watcher sees them in commit order. */
    private final ExecutorService announcer;

    private record Watch(String watcher, Consumer<Announcement> sink, AtomicLong lastVersion) {
    }

    /**
     * @param replica the replica to serve; this adapter listens to its events
     * @param directory gRPC addresses of the members, for redirects
     * @param taskId the one task the group trains
     * @param modelSpec the model factory spec clients build the model from (e.g. {@code mlp:64})
     * @param genesis the group's initial model (version 0 until the genesis checkpoint is applied)
     */
    public ReplicaBackend(ReplicatedAggregator replica, MemberDirectory directory, String taskId, String modelSpec,
                          ParamVector genesis) {
        this.replica = replica;
        this.directory = directory;
        this.taskId = taskId;
        this.modelSpec = modelSpec;
        this.dimension = genesis.size();
        this.genesisDigest = genesis.digest();
        this.genesisBytes = (long) genesis.size() * Float.BYTES;
        this.announcer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "announce-" + replica.replicaId());
            t.setDaemon(true);
            return t;
        });
        replica.addListener(new ReplicaEvents() {
            @Override
            public void onApplied(LogEntry entry, ApplyOutcome outcome, long logIndex) {
                if (entry instanceof CheckpointCommitted c && outcome instanceof ApplyOutcome.Applied) {
                    announceLater(() -> announceModel(c));
                }
            }

            @Override
            public void onRestored(List<CheckpointCommitted> chain, long logIndex) {
                if (!chain.isEmpty()) {
                    CheckpointCommitted latest = chain.getLast();
                    announceLater(() -> announceModel(latest));
                }
            }
        });
    }

    @Override
    public Optional<TaskView> task(String id) {
        if (!taskId.equals(id)) {
            return Optional.empty();
        }
        Optional<CheckpointCommitted> latest = replica.latest();
        long version = latest.map(CheckpointCommitted::version).orElse(0L);
        String digest = latest.map(CheckpointCommitted::digest).orElse(genesisDigest);
        long bytes = latest.map(CheckpointCommitted::modelBytes).orElse(genesisBytes);
        return Optional.of(new TaskView(taskId, modelSpec, dimension, "f32", Long.MAX_VALUE, "async", version,
                BlobDigest.parse(digest), bytes));
    }

    @Override
    public Set<String> taskIds() {
        return Set.of(taskId);
    }

    @Override
    public void admit(String task, String updateId) {
        if (replica.stateMachine().committedIn(updateId).isPresent() || replica.isLeader()) {
            return;
        }
        throw redirect();
    }

    /** The redirect this replica answers with while it does not lead. */
    public LeaderRedirectException redirect() {
        Optional<String> leader = replica.leaderHint().filter(l -> !l.equals(replica.replicaId()));
        return new LeaderRedirectException(replica.replicaId(), leader, leader.flatMap(directory::grpcAddress));
    }

    @Override
    public boolean submit(UpdateSubmission submission) {
        ClientUpdate update = ClientUpdateWire.fromSubmission(submission);
        boolean duplicate = replica.stateMachine().committedIn(update.updateId()).isPresent();
        CompletableFuture<io.starling.raft.aggregator.UpdateAck> acked = replica.submit(update);
        if (acked.isCompletedExceptionally()) {
            Throwable cause = causeOf(acked);
            if (cause instanceof NotLeaderException) {
                throw redirect();
            }
            if (cause instanceof UpdateRejectedException r && !r.isStale()) {
                throw RejectedRequestException.malformed(r.getMessage());
            }
        }
        String watcher = submission.sender().value();
        acked.whenComplete((ack, err) -> {
            Announcement a = err == null
                    ? announcement().setAccepted(UpdateAck.newBuilder().setUpdateId(ack.updateId())
                            .setVersion(ack.version())).build()
                    : refusal(update.updateId(), err);
            announceLater(() -> sendTo(watcher, a));
        });
        return duplicate;
    }

    private Announcement refusal(String updateId, Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        String reason = cause instanceof NotLeaderException ? NOT_LEADER
                : cause instanceof UpdateRejectedException r && r.isStale() ? STALE_UPDATE : REJECTED;
        return announcement().setRejected(UpdateRefusal.newBuilder().setUpdateId(updateId).setReason(reason)
                .setDetail(String.valueOf(cause.getMessage()))
                .setCurrentVersion(replica.latest().map(CheckpointCommitted::version).orElse(-1L))).build();
    }

    private static Throwable causeOf(CompletableFuture<?> failed) {
        try {
            failed.get();
            throw new IllegalStateException("future did not fail");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    private Announcement.Builder announcement() {
        return Announcement.newBuilder().setTaskId(taskId);
    }

    @Override
    public AutoCloseable watch(String task, String watcher, long afterVersion, Consumer<Announcement> sink) {
        long id = watchIds.incrementAndGet();
        Watch w = new Watch(watcher, sink, new AtomicLong(afterVersion));
        watches.put(id, w);
        announceLater(() -> {
            TaskView current = task(taskId).orElseThrow();
            sendModel(w, current.version(), current.modelRef(), ageOf(current.version()));
        });
        return () -> watches.remove(id);
    }

    private void announceModel(CheckpointCommitted c) {
        ModelRef ref = ModelRef.newBuilder().setDigest(c.digest()).setSizeBytes(c.modelBytes())
                .setDimension(dimension).setCodec("f32").build();
        double age = ageOf(c.version());
        watches.values().forEach(w -> sendModel(w, c.version(), ref, age));
    }

    /** The age (updates absorbed) the chain committed for {@code version}; 0 before genesis. */
    private double ageOf(long version) {
        List<CheckpointCommitted> chain = replica.chain();
        return version < chain.size() ? CheckpointAggregation.modelAge(chain.get((int) version)) : 0;
    }

    private void sendModel(Watch w, long version, ModelRef ref, double age) {
        if (w.lastVersion().get() >= version) {
            return;
        }
        w.lastVersion().set(version);
        send(w, announcement().setModel(NewModel.newBuilder().setVersion(version).setModel(ref).setAge(age)).build());
    }

    private void sendTo(String watcher, Announcement a) {
        watches.values().stream().filter(w -> w.watcher().equals(watcher)).forEach(w -> send(w, a));
    }

    private void send(Watch w, Announcement a) {
        try {
            w.sink().accept(a);
        } catch (RuntimeException e) {
            LOG.debug("{}: announcement to {} failed: {}", replica.replicaId(), w.watcher(), e.toString());
        }
    }

    private void announceLater(Runnable r) {
        try {
            announcer.execute(r);
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: closed, announcement dropped", replica.replicaId());
        }
    }

    @Override
    public void close() {
        announcer.shutdownNow();
        watches.clear();
    }
}
