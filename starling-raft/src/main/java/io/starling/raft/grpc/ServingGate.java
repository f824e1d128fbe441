package io.starling.raft.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.starling.net.proto.AggregatorGrpc;
import io.starling.net.proto.ClusterGrpc;
import java.util.Set;

/**
 * Answers calls to a replica's {@code Aggregator} and {@code Cluster} services with UNAVAILABLE
 * while its Raft server is not serving. A replica binds its gRPC port before it starts Ratis,
 * and Ratis then loads the log and snapshot before its division has a role: until then its
 * accessors fail ({@code DivisionInfo.getCurrentRole()} is null, the server itself is not built
 * yet), and after close they fail again. UNAVAILABLE is what clients already treat as "try again
 * or try another replica". {@code Blob} stays open: it needs only the blob store, and peers may
 * push to a replica that is still loading.
 */
final class ServingGate implements ServerInterceptor {
    /** The life of one replica as the gate sees it; it only moves forward. */
    enum State { STARTING, SERVING, STOPPING }

    private static final Set<String> GATED = Set.of(AggregatorGrpc.SERVICE_NAME, ClusterGrpc.SERVICE_NAME);

    private final String replicaId;
    private volatile State state = State.STARTING;

    ServingGate(String replicaId) {
        this.replicaId = replicaId;
    }

    State state() {
        return state;
    }

    /** Opens the gate once the Raft server has started. */
    synchronized void transitionToServing() {
        if (state != State.STARTING) {
            throw new IllegalStateException("replica " + replicaId + " cannot start serving from " + state);
        }
        state = State.SERVING;
    }

    /** Closes the gate for good, before the replica shuts down. */
    synchronized void transitionToStopping() {
        state = State.STOPPING;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        State now = state;
        if (now == State.SERVING || !GATED.contains(call.getMethodDescriptor().getServiceName())) {
            return next.startCall(call, headers);
        }
        call.close(Status.UNAVAILABLE.withDescription(describe(now)), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }

    private String describe(State now) {
        return now == State.STARTING
                ? "replica " + replicaId + " is starting: its Raft server is not running yet (it may be loading its"
                        + " log or snapshot); retry shortly or ask another replica"
                : "replica " + replicaId + " is stopping; ask another replica";
    }
}
