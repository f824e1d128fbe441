package io.starling.net.transport;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.util.concurrent.TimeUnit;

/**
 * Gives every outgoing call that lacks a deadline the unary one, so no call can hang forever on a
 * silent peer. Streams that need longer set their own deadline first.
 */
public final class DefaultDeadline implements ClientInterceptor {
    private final long deadlineMs;

    public DefaultDeadline(long deadlineMs) {
        this.deadlineMs = deadlineMs;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        CallOptions withDeadline = options.getDeadline() == null
                ? options.withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS) : options;
        return next.newCall(method, withDeadline);
    }
}
