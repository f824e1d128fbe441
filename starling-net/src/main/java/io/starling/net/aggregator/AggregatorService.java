package io.starling.net.aggregator;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.starling.core.param.ParamVector;
import io.starling.net.blob.BlobDigest;
import io.starling.net.blob.BlobStore;
import io.starling.net.model.ModelRefs;
import io.starling.net.model.TaskView;
import io.starling.net.proto.AggregatorGrpc;
import io.starling.net.proto.Announcement;
import io.starling.net.proto.GetModelRequest;
import io.starling.net.proto.GetModelResponse;
import io.starling.net.proto.SubmitUpdateRequest;
import io.starling.net.proto.SubmitUpdateResponse;
import io.starling.net.proto.WatchVersionsRequest;
import io.starling.net.transport.GrpcErrors;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.RejectedRequestException;
import io.starling.net.transport.RequestChecks;
import io.starling.protocol.NodeId;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Aggregator gRPC service: checks every field of an untrusted request against the task (see
 * {@link ModelRefs} for the model itself), then hands the result to the {@link AggregatorBackend}.
 * A rejected request leaves the backend untouched and gets a status whose description says what
 * was wrong.
 */
public final class AggregatorService extends AggregatorGrpc.AggregatorImplBase {
    /** Largest accepted sample count of one update. */
    public static final double MAX_SAMPLES = 1e12;
    /** Largest accepted training loss. */
    public static final double MAX_LOSS = 1e9;
    /** Largest accepted gossip age of a hand-back (updates absorbed). */
    public static final double MAX_AGE = 1e12;

    private static final Logger log = LoggerFactory.getLogger(AggregatorService.class);

    private final AggregatorBackend backend;
    private final BlobStore store;
    private final LocalNode self;

    public AggregatorService(AggregatorBackend backend, BlobStore store, LocalNode self) {
        this.backend = backend;
        this.store = store;
        this.self = self;
    }

    @Override
    public void submitUpdate(SubmitUpdateRequest request, StreamObserver<SubmitUpdateResponse> out) {
        try {
            UpdateSubmission update = check(request);
            boolean duplicate = backend.submit(update);
            log.debug("update {} from {} for task {} (base v{}) queued{}", update.updateId(), update.sender(),
                    update.taskId(), update.baseVersion(), duplicate ? " (duplicate)" : "");
            out.onNext(SubmitUpdateResponse.newBuilder().setHeader(self.header())
                    .setCurrentVersion(backend.task(update.taskId()).map(TaskView::version).orElse(-1L))
                    .setDuplicate(duplicate).build());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.toStatus(e));
        }
    }

    private UpdateSubmission check(SubmitUpdateRequest r) {
        NodeId sender = RequestChecks.sender(r.getHeader());
        TaskView task = requireTask(r.getTaskId());
        String updateId = RequestChecks.requireId("update_id", r.getUpdateId());
        backend.admit(task.taskId(), updateId);
        long base = r.getBaseVersion();
        if (base < 0) {
            throw RejectedRequestException.malformed("base_version must be >= 0, got " + base);
        }
        if (base > task.version()) {
            throw new RejectedRequestException(RejectedRequestException.Reason.STALE, "base_version " + base
                    + " is ahead of the current version " + task.version() + " of task '" + task.taskId() + "'");
        }
        if (task.version() - base > task.maxStaleness()) {
            throw new RejectedRequestException(RejectedRequestException.Reason.STALE, "base_version " + base
                    + " is " + (task.version() - base) + " versions behind the current " + task.version()
                    + "; task '" + task.taskId() + "' accepts at most " + task.maxStaleness()
                    + ": fetch the current model and train again");
        }
        RequestChecks.inRange("round", r.getRound(), 0, Long.MAX_VALUE);
        RequestChecks.finiteInRange("num_samples", r.getNumSamples(), Double.MIN_VALUE, MAX_SAMPLES);
        RequestChecks.finiteInRange("train_loss", r.getTrainLoss(), 0, MAX_LOSS);
        java.util.OptionalDouble gossipAge = r.hasGossipAge()
                ? java.util.OptionalDouble.of(RequestChecks.finiteInRange("gossip_age", r.getGossipAge(), 0, MAX_AGE))
                : java.util.OptionalDouble.empty();
        if (r.getModel().getIsDelta() && r.getModel().getDeltaBaseVersion() != base) {
            throw RejectedRequestException.malformed("model.delta_base_version " + r.getModel().getDeltaBaseVersion()
                    + " must equal base_version " + base);
        }
        ParamVector model = ModelRefs.resolve("model", r.getModel(), task, store);
        return new UpdateSubmission(sender, task.taskId(), updateId, base, r.getRound(), model,
                r.getModel().getIsDelta(), r.getNumSamples(), r.getTrainLoss(),
                BlobDigest.parse(r.getModel().getDigest()), r.getModel().getSizeBytes() + r.getSerializedSize(),
                gossipAge);
    }

    @Override
    public void getModel(GetModelRequest request, StreamObserver<GetModelResponse> out) {
        try {
            RequestChecks.sender(request.getHeader());
            TaskView task = requireTask(request.getTaskId());
            out.onNext(GetModelResponse.newBuilder().setHeader(self.header()).setTask(task.spec())
                    .setVersion(task.version()).setModel(task.modelRef()).build());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.toStatus(e));
        }
    }

    @Override
    public void watchVersions(WatchVersionsRequest request, StreamObserver<Announcement> responseObserver) {
        ServerCallStreamObserver<Announcement> out = (ServerCallStreamObserver<Announcement>) responseObserver;
        java.util.concurrent.atomic.AtomicReference<AutoCloseable> subscription = new java.util.concurrent.atomic.AtomicReference<>();
        out.setOnCancelHandler(() -> closeWatch(subscription.get()));
        try {
            NodeId watcher = RequestChecks.sender(request.getHeader());
            TaskView task = requireTask(request.getTaskId());
            RequestChecks.inRange("after_version", request.getAfterVersion(), -1, Long.MAX_VALUE);
            Object lock = new Object();
            subscription.set(backend.watch(task.taskId(), watcher.value(), request.getAfterVersion(), a -> {
                synchronized (lock) {
                    if (!out.isCancelled()) {
                        out.onNext(a.toBuilder().setHeader(self.header()).build());
                    }
                }
            }));
            if (out.isCancelled()) {
                closeWatch(subscription.get());
            }
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.toStatus(e));
        }
    }

    private static void closeWatch(AutoCloseable subscription) {
        if (subscription == null) {
            return;
        }
        try {
            subscription.close();
        } catch (Exception e) {
            log.warn("closing a version watch failed: {}", e.toString());
        }
    }

    private TaskView requireTask(String taskId) {
        RequestChecks.requireId("task_id", taskId);
        return backend.task(taskId).orElseThrow(() -> new RejectedRequestException(
                RejectedRequestException.Reason.UNKNOWN_TASK, "unknown task '" + taskId + "'; this node serves "
                + new TreeSet<>(backend.taskIds())));
    }
}
