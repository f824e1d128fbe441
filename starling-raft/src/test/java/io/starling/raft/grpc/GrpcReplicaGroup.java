package io.starling.raft.grpc;

import io.starling.core.param.ParamVector;
import io.starling.net.transport.FreePorts;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.PeerChannels;
import io.starling.raft.aggregator.AggregatorConfig;
import io.starling.raft.aggregator.PeerAddress;
import io.starling.raft.aggregator.ReplicatedAggregator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.ratis.util.ExitUtils;
import org.awaitility.Awaitility;

/**
 * Replicas in one JVM, each a {@link ReplicaServer} with its own Raft port, gRPC server and data
 * directory on 127.0.0.1: every byte between them and to clients goes over real sockets.
 */
final class GrpcReplicaGroup implements AutoCloseable {
    static {
        // Ratis stops the JVM when a server cannot start (e.g. its port is taken), which would end
        // the whole surefire fork with no report; as LocalCluster does, make it throw. Every test
        // of this package that starts a replica takes its ports from freePort(), so this runs first.
        ExitUtils.disableSystemExit();
    }

    static final int DIM = 8;
    static final String TASK = ReplicaSpec.DEFAULT_TASK;

    final AggregatorConfig config = AggregatorConfig.defaults(UUID.randomUUID().toString())
            .withUpdatesPerCheckpoint(2)
            .withCheckpointIntervalMs(100)
            .withTimeouts(3_000, 3_000)
            .withElectionTimeoutMs(400, 800);
    final ParamVector genesis = ParamVector.zeros(DIM);
    private final Path root;
    private final Map<String, PeerAddress> raft = new LinkedHashMap<>();
    private final Map<String, String> grpc = new LinkedHashMap<>();
    private final Map<String, ReplicaServer> running = new LinkedHashMap<>();
    private final PeerChannels clientChannels = new PeerChannels(LocalNode.of("test-client", ""),
            GrpcAggregatorEndpoint.channelOptions(), null);

    GrpcReplicaGroup(int size, Path root) {
        this.root = root;
        for (int i = 0; i < size; i++) {
            String id = "r" + i;
            raft.put(id, PeerAddress.loopback(id));
            grpc.put(id, "127.0.0.1:" + freePort());
        }
    }

    static int freePort() {
        return FreePorts.loopback();
    }

    /**
     * The spec of a group of one: replica {@code id} on fresh loopback ports, its data in
     * {@code dataDir}, serving a {@code vector:4} model (its genesis is {@code ParamVector.zeros(4)}).
     */
    static ReplicaSpec singleReplica(String id, Path dataDir, AggregatorConfig config) {
        PeerAddress self = PeerAddress.loopback(id);
        int grpcPort = freePort();
        return new ReplicaSpec(config, self, "127.0.0.1", grpcPort, List.of(self), Map.of(id, "127.0.0.1:" + grpcPort),
                dataDir, ReplicaSpec.DEFAULT_TASK, "vector:4");
    }

    GrpcReplicaGroup startAll() throws IOException {
        for (String id : raft.keySet()) {
            start(id);
        }
        return this;
    }

    ReplicaServer start(String id) throws IOException {
        ReplicaServer s = ReplicaServer.start(new ReplicaSpec(config, raft.get(id), "127.0.0.1",
                port(grpc.get(id)), new ArrayList<>(raft.values()), grpc, root.resolve(id), TASK, "logreg"),
                genesis, null);
        running.put(id, s);
        return s;
    }

    private static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    void stop(String id) throws IOException {
        ReplicaServer s = running.remove(id);
        if (s != null) {
            s.close();
        }
    }

    ReplicatedAggregator replica(String id) {
        return running.get(id).replica();
    }

    String grpcAddress(String id) {
        return grpc.get(id);
    }

    List<String> ids() {
        return List.copyOf(raft.keySet());
    }

    ReplicaServer awaitLeader() {
        return Awaitility.await("a serving leader").atMost(Duration.ofSeconds(20)).until(
                () -> running.values().stream().filter(s -> s.replica().isLeader() && s.replica().latest().isPresent())
                        .findFirst().orElse(null), s -> s != null);
    }

    GrpcAggregatorEndpoint endpoint(String id) {
        return new GrpcAggregatorEndpoint(id, grpc.get(id), clientChannels, LocalNode.of("test-client", ""), TASK);
    }

    List<GrpcAggregatorEndpoint> endpoints() {
        return ids().stream().map(this::endpoint).toList();
    }

    PeerChannels channels() {
        return clientChannels;
    }

    @Override
    public void close() throws IOException {
        clientChannels.close();
        for (String id : List.copyOf(running.keySet())) {
            stop(id);
        }
    }
}
