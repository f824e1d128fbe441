package io.starling.net.transport;

import io.grpc.Channel;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.starling.net.fault.FaultInjectingClientInterceptor;
import io.starling.net.fault.FaultInjector;
import io.starling.protocol.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The channels one node uses to reach its peers, one per address, created on first use and
 * closed together. Every channel caps inbound messages, retries idempotent unary calls on
 * UNAVAILABLE with gRPC's jittered exponential backoff, gives calls without a deadline the unary
 * deadline, tags calls with this node's id, and (when a {@link FaultInjector} is given) passes
 * through the fault layer.
 */
public final class PeerChannels implements AutoCloseable {
    private final LocalNode self;
    private final TransportOptions options;
    private final FaultInjector faults;
    private final ScheduledExecutorService faultTimer;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    /** @param faults the fault layer, or null for none */
    public PeerChannels(LocalNode self, TransportOptions options, FaultInjector faults) {
        this.self = self;
        this.options = options;
        this.faults = faults;
        this.faultTimer = faults == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fault-delay-" + self.id());
            t.setDaemon(true);
            return t;
        });
    }

    /** A channel to {@code peer} at {@code address} ("host:port"). */
    public Channel to(NodeId peer, String address) {
        ManagedChannel channel = channels.computeIfAbsent(address, this::open);
        List<ClientInterceptor> chain = new ArrayList<>();
        if (faults != null) {
            chain.add(new FaultInjectingClientInterceptor(faults, self.id().value(), peer.value(), faultTimer));
        }
        chain.add(new SenderMetadata(self.id().value()));
        chain.add(new DefaultDeadline(options.timeouts().unaryMs()));
        // ClientInterceptors.intercept runs the last interceptor first.
        java.util.Collections.reverse(chain);
        return ClientInterceptors.intercept(channel, chain);
    }

    private ManagedChannel open(String address) {
        return NettyChannelBuilder.forTarget(address, TlsConfig.channelCredentials(options.tls()))
                .flowControlWindow(TransportOptions.FLOW_CONTROL_WINDOW_BYTES)
                .maxInboundMessageSize(options.maxInboundMessageBytes())
                .defaultServiceConfig(retryServiceConfig(options.backoff()))
                .enableRetry()
                .keepAliveTime(30, TimeUnit.SECONDS)
                .build();
    }

    /**
     * gRPC service config that retries the idempotent unary methods (updates carry an idempotency
     * key; blob Stat is a read) on UNAVAILABLE, with gRPC's randomized exponential backoff.
     */
    static Map<String, Object> retryServiceConfig(Backoff backoff) {
        Map<String, Object> retryPolicy = Map.of(
                "maxAttempts", (double) Math.min(5, backoff.maxAttempts()),
                "initialBackoff", (backoff.initialMs() / 1000.0) + "s",
                "maxBackoff", (backoff.maxMs() / 1000.0) + "s",
                "backoffMultiplier", backoff.multiplier(),
                "retryableStatusCodes", List.of("UNAVAILABLE"));
        List<Map<String, Object>> names = List.of(
                Map.of("service", "starling.v1.Aggregator", "method", "SubmitUpdate"),
                Map.of("service", "starling.v1.Aggregator", "method", "GetModel"),
                Map.of("service", "starling.v1.Blob", "method", "Stat"),
                Map.of("service", "starling.v1.Membership"),
                Map.of("service", "starling.v1.Gossip"));
        return Map.of("methodConfig", List.of(Map.of("name", names, "retryPolicy", retryPolicy)));
    }

    /**
     * Makes every channel that is waiting out gRPC's reconnect backoff try again now. After a
     * peer was down for a while that backoff grows to many seconds, during which calls fail at
     * once; call this when a peer is known to be back (a restarted process printed that it
     * serves) or on one's own cadence (a periodic probe).
     */
    public void resetConnectBackoff() {
        channels.values().forEach(ManagedChannel::resetConnectBackoff);
    }

    /** Shuts every channel down, waiting briefly for calls in flight. */
    @Override
    public void close() {
        for (ManagedChannel c : channels.values()) {
            c.shutdown();
        }
        for (ManagedChannel c : channels.values()) {
            try {
                if (!c.awaitTermination(5, TimeUnit.SECONDS)) {
                    c.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                c.shutdownNow();
            }
        }
        channels.clear();
        if (faultTimer != null) {
            faultTimer.shutdownNow();
        }
    }
}
