package io.starling.raft.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.raft.history.HistoryChecker;
import io.starling.raft.log.CheckpointCommitted;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(90)
class FailoverTest {
    @TempDir
    Path tmp;

    private LocalCluster cluster;
    private ExecutorService clients;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (clients != null) {
            clients.shutdownNow();
            clients.awaitTermination(10, TimeUnit.SECONDS);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void killingTheLeaderElectsANewOneThatContinuesTheChainWithoutLosingOrDoubleCountingUpdates() throws Exception {
        cluster = new LocalCluster(3, tmp, LocalCluster.fastConfig()).startAll();
        ReplicatedAggregator first = cluster.awaitLeader(LocalCluster.LEADER_WAIT);
        clients = Executors.newFixedThreadPool(3);
        List<Future<List<UpdateAck>>> runs = new ArrayList<>();
        // The second half of every client's rounds waits for the kill, so the new leader always has
        // updates to commit (one CI run's clients had all 36 committed before the kill).
        CountDownLatch killed = new CountDownLatch(1);
        for (int c = 0; c < 3; c++) {
            String clientId = "c" + c;
            AggregatorClient client = cluster.client(clientId);
            runs.add(clients.submit(() -> {
                List<UpdateAck> acks = new ArrayList<>();
                for (int round = 0; round < 12; round++) {
                    if (round == 6 && !killed.await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the leader was not killed within 60 s");
                    }
                    long base = acks.isEmpty() ? 0 : acks.getLast().version();
                    acks.add(client.submitUntilAcked(LocalCluster.update(clientId, round, base, round), 20_000));
                }
                return acks;
            }));
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> first.latest().orElseThrow().version() >= 3);
        CheckpointCommitted beforeKill = first.latest().orElseThrow();

        cluster.kill(first.replicaId());
        killed.countDown();
        ReplicatedAggregator second = cluster.awaitLeader(LocalCluster.LEADER_WAIT);

        assertThat(second.replicaId()).isNotEqualTo(first.replicaId());
        assertThat(second.chain()).startsWith(first.chain().subList(0, (int) beforeKill.version() + 1).toArray(CheckpointCommitted[]::new));
        Set<String> acked = new HashSet<>();
        for (Future<List<UpdateAck>> run : runs) {
            run.get(60, TimeUnit.SECONDS).forEach(a -> acked.add(a.updateId()));
        }
        assertThat(acked).hasSize(36);

        cluster.start(first.replicaId());
        List<CheckpointCommitted> chain = cluster.awaitConverged(beforeKill.version() + 1, Duration.ofSeconds(20));
        cluster.recordFinalChains();
        HistoryChecker.check(cluster.history.events()).requireValid();
        List<String> absorbed = chain.stream().flatMap(c -> c.includedUpdateIds().stream()).toList();
        assertThat(absorbed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(acked);
        assertThat(chain.stream().skip(beforeKill.version() + 1).map(CheckpointCommitted::proposer))
                .contains(second.replicaId());
    }

    @Test
    void resubmittingAnAcknowledgedUpdateToTheNextLeaderReturnsTheSameVersion() throws Exception {
        cluster = new LocalCluster(3, tmp, LocalCluster.fastConfig()).startAll();
        ReplicatedAggregator first = cluster.awaitLeader(LocalCluster.LEADER_WAIT);
        AggregatorClient client = cluster.client("c0");
        ClientUpdate update = LocalCluster.update("c0", 0, 0, 1f);
        UpdateAck ack = client.submitUntilAcked(update, 10_000);

        cluster.kill(first.replicaId());
        ReplicatedAggregator second = cluster.awaitLeader(LocalCluster.LEADER_WAIT);
        UpdateAck again = second.submit(update).get(5, TimeUnit.SECONDS);
        client.submitUntilAcked(LocalCluster.update("c0", 1, 1, 2f), 10_000);

        assertThat(again).isEqualTo(ack);
        List<String> absorbed = second.chain().stream().flatMap(c -> c.includedUpdateIds().stream()).toList();
        assertThat(absorbed).containsOnlyOnce(update.updateId());
    }

    @Test
    void aMinorityCannotCommit() throws Exception {
        cluster = new LocalCluster(3, tmp, LocalCluster.fastConfig()).startAll();
        ReplicatedAggregator leader = cluster.awaitLeader(LocalCluster.LEADER_WAIT);
        cluster.awaitConverged(0, Duration.ofSeconds(20));
        for (ReplicatedAggregator r : cluster.running()) {
            if (r != leader) {
                cluster.kill(r.replicaId());
            }
        }
        long versionBefore = leader.latest().orElseThrow().version();
        AggregatorClient client = cluster.client("c0");

        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> client.submitUntilAcked(LocalCluster.update("c0", 0, 0, 1f), 3_000)))
                .isInstanceOf(AckTimeoutException.class);
        assertThat(leader.latest().orElseThrow().version()).isEqualTo(versionBefore);
        assertThat(leader.stateMachine().committedIn("c0/0")).isEmpty();
    }
}
