package io.starling.node.fallback;

import io.starling.core.aggregate.FedAvg;
import io.starling.core.param.ParamVector;
import io.starling.raft.aggregator.AggregatorConfig;
import io.starling.raft.aggregator.PeerAddress;
import io.starling.raft.aggregator.ReplicatedAggregator;
import io.starling.raft.blob.DirectoryBlobStore;
import io.starling.raft.blob.LocalBlobReplicator;
import io.starling.raft.history.HistoryRecorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.awaitility.Awaitility;

/**
 * Real Ratis replicas of the replicated aggregator on 127.0.0.1 in this JVM, each with its own
 * data directory and blob store; they can all be stopped and restarted from their directories.
 */
final class InProcessReplicas implements AutoCloseable {
    final AggregatorConfig config;
    final HistoryRecorder history;
    private final Path root;
    private final ParamVector initialModel;
    private final ExecutorService blobIo = Executors.newFixedThreadPool(3);
    private final LocalBlobReplicator replicator = new LocalBlobReplicator(blobIo);
    private final Map<String, PeerAddress> voters = new LinkedHashMap<>();
    private final Map<String, DirectoryBlobStore> stores = new LinkedHashMap<>();
    private final Map<String, ReplicatedAggregator> running = new LinkedHashMap<>();

    InProcessReplicas(int size, Path root, AggregatorConfig config, ParamVector initialModel) {
        this.root = root;
        this.config = config;
        this.initialModel = initialModel;
        this.history = HistoryRecorder.open(root.resolve("history.jsonl"));
        for (int i = 0; i < size; i++) {
            PeerAddress a = PeerAddress.loopback("r" + i);
            voters.put(a.id(), a);
        }
    }

    synchronized InProcessReplicas startAll() {
        for (String id : voters.keySet()) {
            Path dir = root.resolve(id);
            DirectoryBlobStore store = stores.computeIfAbsent(id,
                    k -> new DirectoryBlobStore(dir.resolve("blobs"), config.maxModelBytes()));
            ReplicatedAggregator r = new ReplicatedAggregator(config, voters.get(id), List.copyOf(voters.values()),
                    List.of(), dir, store, replicator, new FedAvg(), initialModel, history);
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

    /** Stops one replica (no hand-over); its data directory stays. */
    synchronized void stop(String id) {
        ReplicatedAggregator r = running.remove(id);
        replicator.deregister(id);
        if (r != null) {
            try {
                r.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Stops every replica; their data directories stay. */
    synchronized void stopAll() {
        new ArrayList<>(running.keySet()).forEach(this::stop);
    }

    synchronized List<ReplicatedAggregator> running() {
        return List.copyOf(running.values());
    }

    Optional<ReplicatedAggregator> leader() {
        return running().stream().filter(ReplicatedAggregator::isLeader).findFirst();
    }

    ReplicatedAggregator awaitLeader(Duration within) {
        return Awaitility.await("a serving leader").atMost(within).pollInterval(Duration.ofMillis(20))
                .until(() -> leader().filter(l -> l.latest().isPresent()).orElse(null), l -> l != null);
    }

    /** A committed model by digest, from any replica's store. */
    ParamVector model(String digest) {
        for (DirectoryBlobStore s : stores.values()) {
            Optional<byte[]> bytes = s.get(digest);
            if (bytes.isPresent()) {
                return ParamVector.fromBytes(bytes.get());
            }
        }
        throw new IllegalStateException("no replica holds blob " + digest);
    }

    void recordFinalChains() {
        running().forEach(r -> history.finalChain(r.replicaId(), r.chain()));
    }

    @Override
    public void close() {
        try {
            stopAll();
        } finally {
            blobIo.shutdownNow();
            history.close();
        }
    }
}
