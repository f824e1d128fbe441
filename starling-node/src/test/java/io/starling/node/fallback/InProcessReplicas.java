package io.starling.node.fallback;

import io.starling.core.param.ParamVector;
import io.starling.raft.aggregator.AggregatorConfig;
import io.starling.raft.aggregator.PeerAddress;
import io.starling.raft.aggregator.ReplicatedAggregator;
import io.starling.raft.blob.DirectoryBlobStore;
import io.starling.raft.blob.LocalBlobReplicator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Real Ratis replicas of the replicated aggregator on 127.0.0.1 in this JVM, each with its own
 * data directory and blob store, reached by clients in-process ({@link InProcessCluster}).
 */
final class InProcessReplicas extends RunningReplicas<ReplicatedAggregator> {
    private final AggregatorConfig config;
    private final ParamVector initialModel;
    private final ExecutorService blobIo = Executors.newFixedThreadPool(3);
    private final LocalBlobReplicator replicator = new LocalBlobReplicator(blobIo);
    private final Map<String, PeerAddress> voters = new LinkedHashMap<>();
    private final Map<String, DirectoryBlobStore> stores = new LinkedHashMap<>();

    InProcessReplicas(int size, Path root, AggregatorConfig config, ParamVector initialModel) {
        super(root);
        this.config = config;
        this.initialModel = initialModel;
        for (int i = 0; i < size; i++) {
            PeerAddress a = PeerAddress.loopback("r" + i);
            voters.put(a.id(), a);
        }
    }

    @Override
    public synchronized InProcessReplicas startAll() {
        for (String id : voters.keySet()) {
            Path dir = root.resolve(id);
            DirectoryBlobStore store = stores.computeIfAbsent(id,
                    k -> new DirectoryBlobStore(dir.resolve("blobs"), config.maxModelBytes()));
            ReplicatedAggregator r = new ReplicatedAggregator(config, voters.get(id), List.copyOf(voters.values()),
                    List.of(), dir, store, replicator, initialModel, history());
            try {
                r.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            replicator.register(id, store);
            running.put(id, r);
        }
        return this;
    }

    @Override
    protected void onStopping(String id) {
        replicator.deregister(id);
    }

    @Override
    public synchronized List<ReplicatedAggregator> running() {
        return List.copyOf(running.values());
    }

    @Override
    public ReplicatedCluster clusterFor(String clientId, Path dir) {
        return new InProcessCluster(clientId, this::running, 1_000, history());
    }

    @Override
    public ParamVector model(String digest) {
        for (DirectoryBlobStore s : stores.values()) {
            Optional<byte[]> bytes = s.get(digest);
            if (bytes.isPresent()) {
                return ParamVector.fromBytes(bytes.get());
            }
        }
        throw new IllegalStateException("no replica holds blob " + digest);
    }

    @Override
    protected void release() {
        blobIo.shutdownNow();
    }
}
