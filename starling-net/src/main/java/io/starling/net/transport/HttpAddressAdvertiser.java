package io.starling.net.transport;

import io.grpc.ForwardingServerCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.starling.net.proto.BlobGrpc;
import io.starling.net.proto.StatRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Lets a tool that knows only a node's gRPC address find its HTTP status address: the server adds
 * the {@value #HEADER} header ("host:port") to every response, and {@link #lookup} reads it from
 * one cheap call ({@code Blob.Stat}, which every node serves). No protocol message changes.
 */
public final class HttpAddressAdvertiser implements ServerInterceptor {
    /** Response header carrying the node's HTTP "host:port". */
    public static final String HEADER = "starling-http-address";
    private static final Metadata.Key<String> KEY = Metadata.Key.of(HEADER, Metadata.ASCII_STRING_MARSHALLER);
    private static final String PROBE_DIGEST = "0".repeat(64);

    private final Supplier<String> httpAddress;

    /** @param httpAddress the node's HTTP "host:port", or null while it has none */
    public HttpAddressAdvertiser(Supplier<String> httpAddress) {
        this.httpAddress = httpAddress;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            private boolean headersSent;

            @Override
            public void sendHeaders(Metadata responseHeaders) {
                advertise(responseHeaders);
                headersSent = true;
                super.sendHeaders(responseHeaders);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                if (!headersSent) {
                    advertise(trailers);
                }
                super.close(status, trailers);
            }
        }, headers);
    }

    private void advertise(Metadata metadata) {
        String address = httpAddress.get();
        if (address != null && !address.isEmpty()) {
            metadata.put(KEY, address);
        }
    }

    /**
     * Asks the node serving gRPC (plaintext) at {@code grpcTarget} for its HTTP address. Empty when
     * nothing answers gRPC there or the node serves no HTTP.
     */
    public static Optional<String> lookup(String grpcTarget, Duration timeout) {
        ManagedChannel channel = NettyChannelBuilder.forTarget(grpcTarget).usePlaintext().build();
        try {
            AtomicReference<Metadata> headers = new AtomicReference<>();
            AtomicReference<Metadata> trailers = new AtomicReference<>();
            try {
                BlobGrpc.newBlockingStub(channel)
                        .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
                        .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .stat(StatRequest.newBuilder().setHeader(LocalNode.of("starling-status", "").header())
                                .setDigest(PROBE_DIGEST).build());
            } catch (StatusRuntimeException e) {
                // A refusal still carries the header; only the metadata matters here.
            }
            for (Metadata m : new Metadata[] {headers.get(), trailers.get()}) {
                if (m != null && m.get(KEY) != null) {
                    return Optional.of(m.get(KEY));
                }
            }
            return Optional.empty();
        } finally {
            channel.shutdownNow();
        }
    }
}
