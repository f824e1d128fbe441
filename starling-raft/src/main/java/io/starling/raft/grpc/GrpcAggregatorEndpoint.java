package io.starling.raft.grpc;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.starling.core.StarlingException;
import io.starling.net.blob.BlobClient;
import io.starling.net.blob.BlobService;
import io.starling.net.proto.AggregatorGrpc;
import io.starling.net.proto.Announcement;
import io.starling.net.proto.ClusterGrpc;
import io.starling.net.proto.MembersRequest;
import io.starling.net.proto.MembersResponse;
import io.starling.net.proto.UpdateRefusal;
import io.starling.net.proto.WatchVersionsRequest;
import io.starling.net.transport.Backoff;
import io.starling.net.transport.CallTimeouts;
import io.starling.net.transport.LeaderRedirectException;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.PeerChannels;
import io.starling.net.transport.TransferFailedException;
import io.starling.net.transport.TransportOptions;
import io.starling.protocol.NodeId;
import io.starling.raft.aggregator.AggregatorEndpoint;
import io.starling.raft.aggregator.ClientUpdate;
import io.starling.raft.aggregator.NotLeaderException;
import io.starling.raft.aggregator.UpdateAck;
import io.starling.raft.aggregator.UpdateRejectedException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One replica seen by a client over gRPC, for {@link io.starling.raft.aggregator.AggregatorClient}.
 * A submission uploads the model with {@code Blob.Put} (resumable, digest-verified), offers it with
 * {@code Aggregator.SubmitUpdate}, and completes when the replica's {@code WatchVersions} stream
 * (one per client id, opened before the first submission and reopened when it ends) announces the
 * {@code UpdateAck}. Errors map to the raft client's types:
 * <ul>
 *   <li>a redirect (FAILED_PRECONDITION with the leader in the trailers) or a {@code NOT_LEADER}
 *       refusal: {@link NotLeaderException} with the leader hint;
 *   <li>INVALID_ARGUMENT, NOT_FOUND (unknown task) and RESOURCE_EXHAUSTED (oversize): the update
 *       can never be taken, {@link UpdateRejectedException};
 *   <li>a {@code STALE_UPDATE} refusal: {@link UpdateRejectedException} with reason
 *       {@link UpdateRejectedException.Reason#STALE} (train again on the latest model);
 *   <li>anything else (replica down, OUT_OF_RANGE while a new leader catches up): a
 *       {@link ReplicaUnavailableException}, so the client tries another replica.
 * </ul>
 * A future may also never complete (the replica died after queueing): the client bounds its wait
 * and resends, which is safe because updates are idempotent by id.
 */
public final class GrpcAggregatorEndpoint implements AggregatorEndpoint, AutoCloseable {
    /** Quick retries: on failure the client moves on to another replica rather than waiting here. */
    private static final Backoff QUICK = new Backoff(50, 500, 2.0, 3);
    private static final Set<Status.Code> NEVER_ACCEPTED = Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND,
            Status.Code.RESOURCE_EXHAUSTED);
    /** How long a submission waits for a new watch stream's first announcement, ms. */
    private static final long WATCH_OPEN_MS = 2_000;
    /** Deadline of the leader-hint query, ms: a dead replica must not stall leader discovery. */
    private static final long HINT_TIMEOUT_MS = 500;

    private final String replicaId;
    private final String address;
    private final String taskId;
    private final LocalNode self;
    private final CallTimeouts timeouts;
    private final Channel channel;
    private final BlobClient blobs;
    private final Map<String, Pending> waiting = new ConcurrentHashMap<>();
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    private final ExecutorService io;

    /** A submission waiting for its acknowledgement on {@code clientId}'s watch stream. */
    private record Pending(String clientId, CompletableFuture<UpdateAck> future) {
    }

    /** Thrown (as the future's cause) when the replica could not be reached or could not take the update now. */
    public static final class ReplicaUnavailableException extends StarlingException {
        public ReplicaUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * @param replicaId the replica's id
     * @param address "host:port" of its Starling gRPC server
     * @param channels the client's channels (closed by their owner, not here), best made with
     *     {@link #channelOptions()}
     * @param self the client node (its address is empty when it runs no server); each update is sent
     *     with its own {@code clientId} as the sender
     * @param taskId the task the group trains
     */
    public GrpcAggregatorEndpoint(String replicaId, String address, PeerChannels channels, LocalNode self,
                                  String taskId) {
        this.replicaId = replicaId;
        this.address = address;
        this.taskId = taskId;
        this.self = self;
        this.timeouts = CallTimeouts.defaults();
        this.channel = channels.to(NodeId.of(replicaId), address);
        this.blobs = new BlobClient(channel, self, timeouts, QUICK, BlobService.CHUNK_BYTES, 0, replicaId.hashCode());
        this.io = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "submit-" + replicaId);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Transport options for the channels of a client of a replicated group. The defaults retry an
     * UNAVAILABLE call up to five times with backoff up to 5 s inside the channel, which is right
     * for a single aggregator but turns a dead leader into seconds of waiting here; a client of a
     * group should fail over to another replica instead, so channel-level retries stay short.
     */
    public static TransportOptions channelOptions() {
        return TransportOptions.defaults().withBackoff(new Backoff(50, 200, 2.0, 2));
    }

    @Override
    public String replicaId() {
        return replicaId;
    }

    public String address() {
        return address;
    }

    @Override
    public CompletableFuture<UpdateAck> submit(ClientUpdate update) {
        CompletableFuture<UpdateAck> result = new CompletableFuture<>();
        Pending pending = new Pending(update.clientId(), result);
        Pending previous = waiting.put(update.updateId(), pending);
        if (previous != null) {
            result.whenComplete((ack, err) -> {
                if (err == null) {
                    previous.future().complete(ack);
                }
            });
        }
        result.whenComplete((ack, err) -> waiting.remove(update.updateId(), pending));
        io.execute(() -> {
            try {
                watchFor(update.clientId());
                byte[] bytes = update.model().toBytes();
                BlobClient.UploadResult uploaded = blobs.upload(bytes);
                AggregatorGrpc.newBlockingStub(channel).withDeadlineAfter(timeouts.unaryMs(), TimeUnit.MILLISECONDS)
                        .submitUpdate(ClientUpdateWire.toRequest(update, self.header(), taskId,
                                uploaded.digest().hex(), bytes.length));
            } catch (StatusRuntimeException e) {
                result.completeExceptionally(toException(update.updateId(), e));
            } catch (TransferFailedException e) {
                result.completeExceptionally(NEVER_ACCEPTED.contains(e.code())
                        ? new UpdateRejectedException(update.updateId(), e.getMessage())
                        : new ReplicaUnavailableException("replica " + replicaId + " did not take the model blob: "
                                + e.getMessage(), e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result.completeExceptionally(new ReplicaUnavailableException("submission to " + replicaId
                        + " interrupted", e));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private Throwable toException(String updateId, StatusRuntimeException e) {
        Optional<LeaderRedirectException> redirect = LeaderRedirectException.fromStatus(e);
        if (redirect.isPresent()) {
            return new NotLeaderException(replicaId, redirect.get().leaderId());
        }
        if (NEVER_ACCEPTED.contains(e.getStatus().getCode())) {
            return new UpdateRejectedException(updateId, e.getStatus().getCode() + ": " + e.getStatus().getDescription());
        }
        return new ReplicaUnavailableException("replica " + replicaId + " at " + address + ": "
                + e.getStatus().getCode() + " " + e.getStatus().getDescription(), e);
    }

    /** The leader this replica believes in, asked with a short deadline; empty when it does not answer. */
    @Override
    public Optional<String> leaderHint() {
        return members(HINT_TIMEOUT_MS).map(MembersResponse::getLeaderId).filter(l -> !l.isEmpty());
    }

    /** The replica's view of the group, or empty when it does not answer within {@code timeoutMs}. */
    public Optional<MembersResponse> members(long timeoutMs) {
        try {
            return Optional.of(ClusterGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS)
                    .members(MembersRequest.newBuilder().setHeader(self.header()).build()));
        } catch (StatusRuntimeException e) {
            return Optional.empty();
        }
    }

    /** Opens {@code clientId}'s watch stream unless one is open, and waits for its first announcement. */
    private void watchFor(String clientId) throws InterruptedException {
        Watch w = watches.compute(clientId, (id, old) -> old != null && !old.ended ? old : new Watch(id));
        w.opened.await(WATCH_OPEN_MS, TimeUnit.MILLISECONDS);
    }

    private void onAnnouncement(Announcement a) {
        switch (a.getEventCase()) {
            case ACCEPTED -> {
                Pending p = waiting.get(a.getAccepted().getUpdateId());
                if (p != null) {
                    p.future().complete(new UpdateAck(a.getAccepted().getUpdateId(), a.getAccepted().getVersion()));
                }
            }
            case REJECTED -> {
                UpdateRefusal r = a.getRejected();
                Pending p = waiting.get(r.getUpdateId());
                if (p != null) {
                    p.future().completeExceptionally(switch (r.getReason()) {
                        case ReplicaBackend.NOT_LEADER -> new NotLeaderException(replicaId, Optional.empty());
                        case ReplicaBackend.STALE_UPDATE -> new UpdateRejectedException(r.getUpdateId(),
                                UpdateRejectedException.Reason.STALE, r.getDetail());
                        default -> new UpdateRejectedException(r.getUpdateId(), r.getReason() + ": " + r.getDetail());
                    });
                }
            }
            default -> {
                // NewModel: followed by clients that train on it, not needed to acknowledge updates
            }
        }
    }

    /** One client id's WatchVersions stream. */
    private final class Watch implements ClientResponseObserver<WatchVersionsRequest, Announcement> {
        final CountDownLatch opened = new CountDownLatch(1);
        private final String clientId;
        volatile boolean ended;
        private volatile ClientCallStreamObserver<WatchVersionsRequest> call;

        Watch(String clientId) {
            this.clientId = clientId;
            WatchVersionsRequest request = WatchVersionsRequest.newBuilder()
                    .setHeader(self.header().toBuilder().setSenderId(clientId)).setTaskId(taskId).setAfterVersion(-1)
                    .build();
            AggregatorGrpc.newStub(channel).withDeadlineAfter(timeouts.watchMs(), TimeUnit.MILLISECONDS)
                    .watchVersions(request, this);
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<WatchVersionsRequest> requestStream) {
            call = requestStream;
        }

        @Override
        public void onNext(Announcement value) {
            opened.countDown();
            onAnnouncement(value);
        }

        @Override
        public void onError(Throwable t) {
            end(t.toString());
        }

        @Override
        public void onCompleted() {
            end("the replica closed it");
        }

        /**
         * Acknowledgements of this client can no longer arrive on an open stream that ended: fail its waiting
         * submissions now, so the client resends (to this replica's successor) without waiting out
         * its attempt timeout.
         */
        private void end(String why) {
            ended = true;
            boolean wasOpen = opened.getCount() == 0;
            opened.countDown();
            if (!wasOpen) {
                return; // refused at subscription: the submission's own call reports why
            }
            ReplicaUnavailableException lost = new ReplicaUnavailableException("watch stream to " + replicaId
                    + " ended (" + why + ") before the acknowledgement", null);
            waiting.values().stream().filter(p -> p.clientId().equals(clientId))
                    .forEach(p -> p.future().completeExceptionally(lost));
        }

        void cancel() {
            ClientCallStreamObserver<WatchVersionsRequest> c = call;
            if (c != null) {
                c.cancel("endpoint closed", null);
            }
        }
    }

    /** Cancels the watch streams and fails submissions still waiting. */
    @Override
    public void close() {
        watches.values().forEach(Watch::cancel);
        watches.clear();
        io.shutdownNow();
        ReplicaUnavailableException closed = new ReplicaUnavailableException("endpoint of " + replicaId + " closed", null);
        waiting.values().forEach(p -> p.future().completeExceptionally(closed));
        waiting.clear();
    }
}
