package io.starling.raft.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.raft.history.HistoryChecker;
import io.starling.raft.log.CheckpointCommitted;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wiped replica restarted under its old id when no snapshot has let the leader purge its log,
 * so it must be sent the log itself. Ratis 3.3 may leave it behind for good (the leader keeps its
 * pre-wipe match index and sends only heartbeats); the leader's stuck-follower hand-over
 * ({@link StuckFollowerDetector}) must get it caught up anyway. {@code SnapshotCatchUpTest}
 * covers the snapshot path.
 */
@Timeout(120)
class WipedReplicaCatchUpTest {
    @TempDir
    Path tmp;

    private LocalCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aWipedReplicaCatchesUpFromTheLeadersLogWhileTrainingGoesOn() throws Exception {
        cluster = new LocalCluster(3, tmp, LocalCluster.fastConfig()).startAll();
        ReplicatedAggregator leader = cluster.awaitLeader(LocalCluster.LEADER_WAIT);
        String victim = cluster.running().stream().filter(r -> r != leader).findFirst().orElseThrow().replicaId();
        AggregatorClient client = cluster.client("c0");
        int round = 0;
        for (; round < 6; round++) {
            client.submitUntilAcked(LocalCluster.update("c0", round, cluster.latestVersion(), round), 15_000);
        }
        cluster.awaitConverged(leader.latest().orElseThrow().version(), Duration.ofSeconds(20));
        cluster.kill(victim);
        cluster.wipe(victim);
        for (; round < 24; round++) {
            client.submitUntilAcked(LocalCluster.update("c0", round, cluster.latestVersion(), round), 15_000);
        }
        long versionWhileDown = leader.latest().orElseThrow().version();

        ReplicatedAggregator back = cluster.start(victim);
        client.putEndpoint(back);
        long deadlineNanos = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (back.chain().size() <= versionWhileDown && System.nanoTime() < deadlineNanos) {
            client.submitUntilAcked(LocalCluster.update("c0", round, cluster.latestVersion(), round), 15_000);
            round++;
            Thread.sleep(100);
        }

        assertThat(back.chain().size()).as("checkpoints on the wiped replica").isGreaterThan((int) versionWhileDown);
        List<CheckpointCommitted> chain = cluster.awaitConverged(versionWhileDown, Duration.ofSeconds(20));
        Awaitility.await("the wiped replica holds the latest model").atMost(Duration.ofSeconds(15))
                .until(back::holdsLatestBlob);
        assertThat(chain.stream().flatMap(c -> c.includedUpdateIds().stream()).toList())
                .doesNotHaveDuplicates().hasSize(round);
        cluster.recordFinalChains();
        HistoryChecker.check(cluster.history.events()).requireValid();
    }
}
