package io.starling.net.transport;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;

/**
 * Turns a request that is not a valid protobuf message into INVALID_ARGUMENT with the reason.
 *
 * <p>grpc-java parses requests before any interceptor sees them and reports a parse failure as
 * UNKNOWN "Application error processing RPC", which tells a sender nothing. {@link #guard} makes
 * the service exchange raw streams, so parsing happens inside this interceptor's listener, where
 * the failure can be caught and answered properly; the call is then closed and later events for
 * it are ignored.
 */
public final class MalformedMessageGuard implements ServerInterceptor {
    private static final MethodDescriptor.Marshaller<InputStream> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(InputStream value) {
            return value;
        }

        @Override
        public InputStream parse(InputStream stream) {
            return stream;
        }
    };

    /** {@code service} with parse failures answered as INVALID_ARGUMENT. */
    public static ServerServiceDefinition guard(ServerServiceDefinition service) {
        return ServerInterceptors.intercept(ServerInterceptors.useMarshalledMessages(service, RAW),
                new MalformedMessageGuard());
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private boolean closed;

            @Override
            public void onMessage(Q message) {
                if (closed) {
                    return;
                }
                try {
                    super.onMessage(message);
                } catch (StatusRuntimeException e) {
                    if (e.getStatus().getCode() != Status.Code.INTERNAL || e.getCause() == null) {
                        throw e;
                    }
                    closed = true;
                    call.close(Status.INVALID_ARGUMENT.withDescription("request to "
                            + call.getMethodDescriptor().getFullMethodName() + " is not a valid protobuf message: "
                            + e.getCause().getMessage()), new Metadata());
                }
            }

            @Override
            public void onHalfClose() {
                if (!closed) {
                    super.onHalfClose();
                }
            }

            @Override
            public void onReady() {
                if (!closed) {
                    super.onReady();
                }
            }
        };
    }
}
