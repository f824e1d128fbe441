package io.starling.node.fallback;

import io.starling.core.param.ParamVector;
import io.starling.net.blob.BlobDigest;
import io.starling.net.blob.BlobStore;
import io.starling.raft.aggregator.AggregatorConfig;
import io.starling.raft.aggregator.PeerAddress;
import io.starling.raft.aggregator.ReplicatedAggregator;
import io.starling.raft.grpc.ReplicaServer;
import io.starling.raft.grpc.ReplicaSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real Ratis replicas in this JVM, each behind its own gRPC server ({@link ReplicaServer}:
 * Aggregator, Blob, Cluster) on 127.0.0.1, reached by clients only over those sockets
 * ({@link GrpcCluster}).
 */
final class GrpcReplicas extends RunningReplicas<ReplicaServer> {
    static final String TASK = ReplicaSpec.DEFAULT_TASK;

    private final AggregatorConfig config;
    private final ParamVector genesis;
    private final Map<String, PeerAddress> raft = new LinkedHashMap<>();
    private final Map<String, String> grpc = new LinkedHashMap<>();

    GrpcReplicas(int size, Path root, AggregatorConfig config, ParamVector genesis) {
        super(root);
        this.config = config;
        this.genesis = genesis;
        for (int i = 0; i < size; i++) {
            String id = "r" + i;
            raft.put(id, PeerAddress.loopback(id));
            grpc.put(id, "127.0.0.1:" + freePort());
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized GrpcReplicas startAll() {
        for (String id : raft.keySet()) {
            String address = grpc.get(id);
            int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            try {
                running.put(id, ReplicaServer.start(new ReplicaSpec(config, raft.get(id), "127.0.0.1", port,
                        new ArrayList<>(raft.values()), grpc, root.resolve(id), TASK, "logreg"), genesis,
                        history()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return this;
    }

    @Override
    public synchronized List<ReplicatedAggregator> running() {
        return running.values().stream().map(ReplicaServer::replica).toList();
    }

    @Override
    public ReplicatedCluster clusterFor(String clientId, Path dir) {
        return new GrpcCluster(clientId, grpc, TASK, dir.resolve("cluster-blobs"), 1_000, history());
    }

    /** A client's view of the group with the given relay settings and seed of its source choices. */
    GrpcCluster clusterFor(String clientId, Path dir, RelaySettings relay, long seed) {
        return new GrpcCluster(clientId, grpc, TASK, dir.resolve("cluster-blobs"), 1_000, history(), relay, seed);
    }

    /** Every replica's Starling gRPC address, by id. */
    Map<String, String> grpcAddresses() {
        return Map.copyOf(grpc);
    }

    @Override
    public ParamVector model(String digest) {
        BlobDigest d = BlobDigest.parse(digest);
        for (String id : raft.keySet()) {
            BlobStore store = BlobStore.open(root.resolve(id).resolve("blobs"));
            if (store.contains(d)) {
                return ParamVector.fromBytes(store.read(d));
            }
        }
        throw new IllegalStateException("no replica holds blob " + digest);
    }
}
