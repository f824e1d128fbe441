package io.starling.raft.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.raft.history.HistoryChecker;
import io.starling.raft.log.CheckpointCommitted;
import io.starling.raft.state.CheckpointTiming;
import io.starling.raft.state.ReplicaEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ReplicatedAggregatorTest {
    @TempDir
    Path tmp;

    private LocalCluster cluster;

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void threeReplicasElectALeaderThatCommitsGenesis() {
        cluster = new LocalCluster(3, tmp, LocalCluster.fastConfig()).startAll();

        ReplicatedAggregator leader = cluster.awaitLeader(LocalCluster.LEADER_WAIT);

        assertThat(cluster.running().stream().filter(ReplicatedAggregator::isLeader)).hasSize(1);
        List<CheckpointCommitted> chain = cluster.awaitConverged(0, Duration.ofSeconds(20));
        assertThat(chain.getFirst().version()).isZero();
        assertThat(chain.getFirst().digest()).isEqualTo(cluster.initialModel.digest());
        assertThat(chain.getFirst().proposer()).isEqualTo(leader.replicaId());
    }

    @Test
    void committedCheckpointsAreIdenticalOnAllReplicasAndAckEveryUpdate() throws Exception {
        cluster = new LocalCluster(3, tmp, LocalCluster.fastConfig()).startAll();
        cluster.awaitLeader(LocalCluster.LEADER_WAIT);
        AggregatorClient client = cluster.client("c0");

        long base = 0;
        for (int round = 0; round < 9; round++) {
            UpdateAck ack = client.submitUntilAcked(LocalCluster.update("c0", round, base, round), 10_000);
            assertThat(ack.version()).isPositive();
            base = ack.version();
        }

        List<CheckpointCommitted> chain = cluster.awaitConverged(1, Duration.ofSeconds(20));
        cluster.recordFinalChains();
        HistoryChecker.Result result = HistoryChecker.check(cluster.history.events()).requireValid();
        assertThat(result.acks()).isEqualTo(9);
        assertThat(chain.stream().mapToInt(c -> c.includedUpdateIds().size()).sum()).isEqualTo(9);
        assertThat(cluster.running()).allMatch(ReplicatedAggregator::holdsLatestBlob);
    }

    @Test
    void theProposingLeaderReportsWhenEachStepOfItsCheckpointHappened() throws Exception {
        cluster = new LocalCluster(3, tmp, LocalCluster.fastConfig()).startAll();
        Map<String, Map<Long, CheckpointTiming>> reported = new ConcurrentHashMap<>();
        for (ReplicatedAggregator r : cluster.running()) {
            r.addListener(new ReplicaEvents() {
                @Override
                public void onCheckpointTiming(CheckpointTiming timing) {
                    reported.computeIfAbsent(r.replicaId(), id -> new ConcurrentHashMap<>()).put(timing.version(), timing);
                }
            });
        }
        cluster.awaitLeader(LocalCluster.LEADER_WAIT);
        AggregatorClient client = cluster.client("c0");
        long before = CheckpointTiming.nowMs();

        UpdateAck ack = client.submitUntilAcked(LocalCluster.update("c0", 0, 0, 1), 10_000);

        String proposer = cluster.awaitConverged(ack.version(), Duration.ofSeconds(20)).get((int) ack.version()).proposer();
        assertThat(reported).containsKey(proposer);
        reported.forEach((replica, timings) -> assertThat(timings.containsKey(ack.version()))
                .as("%s reported v%d", replica, ack.version()).isEqualTo(replica.equals(proposer)));
        CheckpointTiming timing = reported.get(proposer).get(ack.version());
        assertThat(timing.batchTakenAtMs()).isGreaterThanOrEqualTo(before);
        assertThat(timing.appliedAtMs()).isLessThanOrEqualTo(CheckpointTiming.nowMs());
    }
}
