package io.starling.net.transport;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

/**
 * Puts the calling node's id into call metadata ({@value #KEY_NAME}), so that server-side
 * interceptors (fault injection, metrics) know who is calling before decoding the message. The
 * signed {@code Header} in the message body stays the authoritative sender.
 */
public final class SenderMetadata implements ClientInterceptor {
    public static final String KEY_NAME = "starling-sender";
    public static final Metadata.Key<String> KEY = Metadata.Key.of(KEY_NAME, Metadata.ASCII_STRING_MARSHALLER);

    private final String senderId;

    public SenderMetadata(String senderId) {
        this.senderId = senderId;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                headers.put(KEY, senderId);
                super.start(listener, headers);
            }
        };
    }
}
