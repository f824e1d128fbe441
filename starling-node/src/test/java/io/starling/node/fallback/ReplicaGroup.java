package io.starling.node.fallback;

import io.starling.core.param.ParamVector;
import io.starling.raft.aggregator.ReplicatedAggregator;
import io.starling.raft.history.HistoryRecorder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;

/**
 * Real Ratis replicas on 127.0.0.1 that a test can stop and restart from their data directories,
 * and the {@link ReplicatedCluster} a client uses to reach them.
 */
interface ReplicaGroup extends AutoCloseable {
    ReplicaGroup startAll();

    /** Stops one replica (no hand-over); its data directory stays. */
    void stop(String id);

    default void stopAll() {
        running().forEach(r -> stop(r.replicaId()));
    }

    List<ReplicatedAggregator> running();

    HistoryRecorder history();

    /** A committed model by digest, from any replica's store. */
    ParamVector model(String digest);

    /** How client {@code clientId} reaches the group; {@code dir} is the client's own directory. */
    ReplicatedCluster clusterFor(String clientId, Path dir);

    default Optional<ReplicatedAggregator> leader() {
        return running().stream().filter(ReplicatedAggregator::isLeader).findFirst();
    }

    default ReplicatedAggregator awaitLeader(Duration within) {
        return Awaitility.await("a serving leader").atMost(within).pollInterval(Duration.ofMillis(20))
                .until(() -> leader().filter(l -> l.latest().isPresent()).orElse(null), l -> l != null);
    }

    default void recordFinalChains() {
        running().forEach(r -> history().finalChain(r.replicaId(), r.chain()));
    }

    @Override
    void close();
}
