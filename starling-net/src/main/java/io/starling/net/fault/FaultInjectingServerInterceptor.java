package io.starling.net.fault;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.starling.net.transport.SenderMetadata;

/**
 * Applies drop rules to calls arriving at this node, identified by the caller's
 * {@link SenderMetadata} id ("?" when absent). This lets one process cut itself off from peers
 * that do not run the fault layer. Delay and duplication are applied on the calling side only
 * ({@link FaultInjectingClientInterceptor}).
 */
public final class FaultInjectingServerInterceptor implements ServerInterceptor {
    private final FaultInjector faults;
    private final String self;

    public FaultInjectingServerInterceptor(FaultInjector faults, String self) {
        this.faults = faults;
        this.self = self;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        String caller = headers.get(SenderMetadata.KEY);
        String from = caller == null ? "?" : caller;
        boolean drop = false;
        for (FaultRule rule : faults.rules()) {
            if (rule.matches(from, self)) {
                drop = rule.dropProbability() > 0 && faults.decide(from, self).drop();
                break;
            }
        }
        if (drop) {
            call.close(Status.UNAVAILABLE.withDescription("call from " + from + " to " + self
                    + " dropped by fault injection"), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return next.startCall(call, headers);
    }
}
