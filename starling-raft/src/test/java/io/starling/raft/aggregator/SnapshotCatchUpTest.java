package io.starling.raft.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.raft.history.HistoryChecker;
import io.starling.raft.log.CheckpointCommitted;
import io.starling.raft.state.ReplicaEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(90)
class SnapshotCatchUpTest {
    @TempDir
    Path tmp;

    private LocalCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void submitRounds(AggregatorClient client, String clientId, int from, int to) throws InterruptedException {
        for (int round = from; round < to; round++) {
            client.submitUntilAcked(LocalCluster.update(clientId, round, cluster.latestVersion(), round), 15_000);
        }
    }

    @Test
    void aReplicaRestartedWithAWipedDataDirectoryCatchesUpFromASnapshotAndCanLead() throws Exception {
        cluster = new LocalCluster(3, tmp, LocalCluster.fastConfig().withSnapshots(4, 1024)).startAll();
        ReplicatedAggregator leader = cluster.awaitLeader(LocalCluster.LEADER_WAIT);
        String victim = cluster.running().stream().filter(r -> r != leader).findFirst().orElseThrow().replicaId();
        AggregatorClient client = cluster.client("c0");
        submitRounds(client, "c0", 0, 6);

        cluster.kill(victim);
        cluster.wipe(victim);
        submitRounds(client, "c0", 6, 30);
        Path leaderSnapshots = tmp.resolve(leader.replicaId()).resolve("raft");
        try (Stream<Path> files = Files.walk(leaderSnapshots)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("snapshot."));
        }

        AtomicInteger restoredNonEmpty = new AtomicInteger();
        ReplicatedAggregator back = cluster.start(victim);
        client.putEndpoint(back);
        back.addListener(new ReplicaEvents() {
            @Override
            public void onRestored(List<CheckpointCommitted> chain, long logIndex) {
                if (!chain.isEmpty()) {
                    restoredNonEmpty.incrementAndGet();
                }
            }
        });
        List<CheckpointCommitted> chain = cluster.awaitConverged(10, Duration.ofSeconds(20));
        assertThat(restoredNonEmpty.get()).as("snapshots installed on the wiped replica").isPositive();
        Awaitility.await("wiped replica fetched the latest blob").atMost(Duration.ofSeconds(10))
                .until(back::holdsLatestBlob);

        leader.transferLeadership(victim, 5_000);
        Awaitility.await("wiped replica leads").atMost(Duration.ofSeconds(10)).until(back::isLeader);
        submitRounds(client, "c0", 30, 33);
        List<CheckpointCommitted> after = cluster.awaitConverged(chain.size(), Duration.ofSeconds(20));
        assertThat(after.getLast().proposer()).isEqualTo(victim);
        cluster.recordFinalChains();
        HistoryChecker.check(cluster.history.events()).requireValid();
    }

    @Test
    void aRestartedReplicaKeepsItsChainAcrossRestarts() throws Exception {
        cluster = new LocalCluster(3, tmp, LocalCluster.fastConfig().withSnapshots(4, 1024)).startAll();
        cluster.awaitLeader(LocalCluster.LEADER_WAIT);
        submitRounds(cluster.client("c0"), "c0", 0, 12);
        List<CheckpointCommitted> before = cluster.awaitConverged(3, Duration.ofSeconds(20));

        for (ReplicatedAggregator r : cluster.running()) {
            cluster.kill(r.replicaId());
        }
        for (String id : List.of("r0", "r1", "r2")) {
            cluster.start(id);
        }

        cluster.awaitLeader(LocalCluster.LEADER_WAIT);
        assertThat(cluster.awaitConverged(before.size() - 1, Duration.ofSeconds(20))).startsWith(
                before.toArray(CheckpointCommitted[]::new));
        cluster.recordFinalChains();
        HistoryChecker.check(cluster.history.events()).requireValid();
    }
}
