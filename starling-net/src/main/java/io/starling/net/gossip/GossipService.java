package io.starling.net.gossip;

import io.grpc.stub.StreamObserver;
import io.starling.core.param.ParamVector;
import io.starling.net.blob.BlobStore;
import io.starling.net.model.ModelRefs;
import io.starling.net.model.TaskView;
import io.starling.net.proto.GossipGrpc;
import io.starling.net.proto.PushModelRequest;
import io.starling.net.proto.PushModelResponse;
import io.starling.net.transport.GrpcErrors;
import io.starling.net.transport.RejectedRequestException;
import io.starling.net.transport.RequestChecks;
import io.starling.net.transport.LocalNode;
import io.starling.protocol.NodeId;
import java.util.TreeSet;

/** The Gossip gRPC service: checks a pushed model like an update, then hands it to the {@link GossipBackend}. */
public final class GossipService extends GossipGrpc.GossipImplBase {
    /** Largest accepted model age. */
    public static final double MAX_AGE = 1e12;

    private final GossipBackend backend;
    private final BlobStore store;
    private final LocalNode self;

    public GossipService(GossipBackend backend, BlobStore store, LocalNode self) {
        this.backend = backend;
        this.store = store;
        this.self = self;
    }

    @Override
    public void pushModel(PushModelRequest r, StreamObserver<PushModelResponse> out) {
        try {
            NodeId sender = RequestChecks.sender(r.getHeader());
            RequestChecks.requireId("task_id", r.getTaskId());
            TaskView task = backend.task(r.getTaskId()).orElseThrow(() -> new RejectedRequestException(
                    RejectedRequestException.Reason.UNKNOWN_TASK, "unknown task '" + r.getTaskId()
                    + "'; this peer takes part in " + new TreeSet<>(backend.taskIds())));
            RequestChecks.finiteInRange("age", r.getAge(), 0, MAX_AGE);
            RequestChecks.inRange("version", r.getVersion(), 0, Long.MAX_VALUE);
            if (r.getModel().getIsDelta()) {
                throw RejectedRequestException.malformed("gossip pushes carry full models, not deltas");
            }
            ParamVector model = ModelRefs.resolve("model", r.getModel(), task, store);
            backend.receive(new GossipModel(sender, r.getHeader().getSenderAddress(), task.taskId(), model, r.getAge(),
                    r.getVersion(), r.getModel().getSizeBytes() + r.getSerializedSize()));
            out.onNext(PushModelResponse.newBuilder().setHeader(self.header()).build());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.toStatus(e));
        }
    }
}
