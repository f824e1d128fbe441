package io.starling.net.transport;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.starling.core.StarlingException;
import io.starling.net.fault.FaultInjectingServerInterceptor;
import io.starling.net.fault.FaultInjector;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's gRPC server: binds one address, enforces the inbound message size limit and
 * keepalive policy, optionally TLS and fault injection, and shuts down gracefully (stop accepting,
 * let running calls finish for a grace period, then cancel the rest).
 */
public final class NetServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NetServer.class);

    private final Server server;
    private final String host;

    private NetServer(Server server, String host) {
        this.server = server;
        this.host = host;
    }

    public static Builder builder(String host, int port, TransportOptions options) {
        return new Builder(host, port, options);
    }

    /** The bound port (the real one when 0 was asked for). */
    public int port() {
        return server.getPort();
    }

    /** "host:port" that peers can dial. */
    public String address() {
        return host + ":" + port();
    }

    /** Stops accepting calls, waits up to {@code grace} for running ones, then cancels the rest. */
    public void shutdownGracefully(Duration grace) {
        server.shutdown();
        try {
            if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.info("server {} still busy after {} ms; cancelling remaining calls", address(), grace.toMillis());
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
    }

    public boolean isTerminated() {
        return server.isTerminated();
    }

    /** Graceful shutdown with a 5 s grace period. */
    @Override
    public void close() {
        shutdownGracefully(Duration.ofSeconds(5));
    }

    /** Collects services and options, then binds. */
    public static final class Builder {
        private final String host;
        private final int port;
        private final TransportOptions options;
        private final List<BindableService> services = new ArrayList<>();
        private final List<ServerInterceptor> interceptors = new ArrayList<>();

        private Builder(String host, int port, TransportOptions options) {
            this.host = host;
            this.port = port;
            this.options = options;
        }

        public Builder addService(BindableService service) {
            services.add(service);
            return this;
        }

        /** Interceptors run in the order added, outermost first. */
        public Builder intercept(ServerInterceptor interceptor) {
            interceptors.add(interceptor);
            return this;
        }

        /** Adds the node's HTTP address to every response ({@link HttpAddressAdvertiser}). */
        public Builder advertiseHttpAddress(java.util.function.Supplier<String> httpAddress) {
            return intercept(new HttpAddressAdvertiser(httpAddress));
        }

        /** Applies {@code faults}' drop rules to calls arriving at node {@code selfId}. */
        public Builder faults(FaultInjector faults, String selfId) {
            return intercept(new FaultInjectingServerInterceptor(faults, selfId));
        }

        /** Binds and starts serving. */
        public NetServer start() {
            NettyServerBuilder b = NettyServerBuilder
                    .forAddress(new InetSocketAddress(host, port), TlsConfig.serverCredentials(options.tls()))
                    .maxInboundMessageSize(options.maxInboundMessageBytes())
                    .maxInboundMetadataSize(16 * 1024)
                    .flowControlWindow(TransportOptions.FLOW_CONTROL_WINDOW_BYTES)
                    .permitKeepAliveTime(10, TimeUnit.SECONDS)
                    .permitKeepAliveWithoutCalls(true);
            List<ServerInterceptor> reversed = new ArrayList<>(interceptors);
            java.util.Collections.reverse(reversed);
            for (BindableService s : services) {
                b.addService(ServerInterceptors.intercept(MalformedMessageGuard.guard(s.bindService()), reversed));
            }
            try {
                Server server = b.build().start();
                NetServer started = new NetServer(server, host);
                log.info("gRPC server listening on {} ({}; max inbound message {} bytes)", started.address(),
                        options.tls() == null ? "plaintext" : "TLS", options.maxInboundMessageBytes());
                return started;
            } catch (IOException e) {
                throw new StarlingException("cannot listen on " + host + ":" + port + ": " + e.getMessage()
                        + " (is the port in use?)", e);
            }
        }
    }
}
