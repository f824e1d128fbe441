package io.starling.raft.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.aggregate.Contribution;
import io.starling.core.aggregate.DoublyWeightedAveraging;
import io.starling.core.param.ParamVector;
import io.starling.raft.history.HistoryChecker;
import io.starling.raft.log.CheckpointCommitted;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Gossip hand-backs through a real three-replica Ratis group. */
@Timeout(60)
class HandBackTest {
    @TempDir
    Path tmp;

    private LocalCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static ClientUpdate handBack(String id, float value, double age) {
        float[] w = new float[LocalCluster.DIM];
        Arrays.fill(w, value);
        return ClientUpdate.handBack(id, "c0", 1, ParamVector.wrap(w), 50, age);
    }

    @Test
    void aHandBackIsMergedByDoublyWeightedAveragingIntoACommittedCheckpointWithTheMergedAge() throws Exception {
        cluster = new LocalCluster(3, tmp, LocalCluster.fastConfig().withUpdatesPerCheckpoint(1)).startAll();
        ReplicatedAggregator leader = cluster.awaitLeader(LocalCluster.LEADER_WAIT);
        AggregatorClient client = cluster.client("c0");
        client.submitUntilAcked(LocalCluster.update("c0", 0, 0, 2f), 10_000);
        CheckpointCommitted before = leader.latest().orElseThrow();
        ParamVector serverModel = leader.latestModel().orElseThrow();

        UpdateAck ack = client.submitUntilAcked(handBack("c0/handback-1", 8f, 3), 10_000);

        CheckpointCommitted merged = leader.chain().get((int) ack.version());
        assertThat(merged.includedUpdateIds()).containsExactly("c0/handback-1");
        assertThat(CheckpointAggregation.modelAge(before)).isEqualTo(1);
        assertThat(CheckpointAggregation.modelAge(merged)).isEqualTo(3);
        ParamVector expected = new DoublyWeightedAveraging(0.5).aggregate(serverModel, List.of(
                Contribution.ofServer(serverModel, 1), Contribution.ofPeer(handBack("x", 8f, 3).model(), 3)));
        assertThat(leader.latestModel().orElseThrow().toArray()).containsExactly(expected.toArray());
        assertThat(expected.get(0)).isEqualTo(6.5f); // (1*2 + 3*8) / (1 + 3)
    }

    @Test
    void aHandBackResentToTheSameOrTheNextLeaderIsAbsorbedOnce() throws Exception {
        cluster = new LocalCluster(3, tmp, LocalCluster.fastConfig()).startAll();
        ReplicatedAggregator first = cluster.awaitLeader(LocalCluster.LEADER_WAIT);
        ClientUpdate h = handBack("c0/handback-1", 4f, 2);
        CompletableFuture<UpdateAck> once = first.submit(h);
        CompletableFuture<UpdateAck> twice = first.submit(h);
        UpdateAck ack = once.get(10, TimeUnit.SECONDS);
        assertThat(twice.get(10, TimeUnit.SECONDS)).isEqualTo(ack);

        cluster.awaitConverged(ack.version(), Duration.ofSeconds(20));
        cluster.kill(first.replicaId());
        ReplicatedAggregator second = cluster.awaitLeader(LocalCluster.LEADER_WAIT);
        UpdateAck again = cluster.client("c0").submitUntilAcked(h, 10_000);

        assertThat(again).isEqualTo(ack);
        assertThat(second.chain().stream().flatMap(c -> c.includedUpdateIds().stream()))
                .containsOnlyOnce("c0/handback-1");
        cluster.recordFinalChains();
        HistoryChecker.check(cluster.history.events()).requireValid();
    }
}
