package io.starling.raft.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.raft.history.HistoryChecker;
import io.starling.raft.log.CheckpointCommitted;
import io.starling.raft.state.ReplicaEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(90)
class LeadershipTest {
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
    void transferLeadershipHandsOverAndTheNewLeaderContinuesTheChain() throws Exception {
        cluster = new LocalCluster(3, tmp, LocalCluster.fastConfig()).startAll();
        ReplicatedAggregator leader = cluster.awaitLeader(LocalCluster.LEADER_WAIT);
        AggregatorClient client = cluster.client("c0");
        client.submitUntilAcked(LocalCluster.update("c0", 0, 0, 1f), 10_000);
        String target = leader.nextEligible().orElseThrow();

        leader.transferLeadership(target, 5_000);

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> cluster.replica(target).isLeader());
        assertThat(leader.isLeader()).isFalse();
        UpdateAck ack = client.submitUntilAcked(LocalCluster.update("c0", 1, 1, 2f), 10_000);
        List<CheckpointCommitted> chain = cluster.awaitConverged(ack.version(), Duration.ofSeconds(20));
        assertThat(chain.get((int) ack.version()).proposer()).isEqualTo(target);
    }

    @Test
    void leadersRotateToTheNextReplicaAfterTheConfiguredTermLength() throws Exception {
        cluster = new LocalCluster(3, tmp, LocalCluster.fastConfig().withTermLengthMs(1_500)).startAll();
        List<String> leaders = new CopyOnWriteArrayList<>();
        for (ReplicatedAggregator r : cluster.running()) {
            r.addListener(new ReplicaEvents() {
                @Override
                public void onLeaderReady() {
                    leaders.add(r.replicaId());
                }
            });
        }
        cluster.awaitLeader(LocalCluster.LEADER_WAIT);
        AggregatorClient client = cluster.client("c0");
        int round = 0;
        long base = 0;
        long deadline = System.currentTimeMillis() + 20_000;
        while (leaders.size() < 3 && System.currentTimeMillis() < deadline) {
            base = client.submitUntilAcked(LocalCluster.update("c0", round, base, round), 10_000).version();
            round++;
        }

        assertThat(leaders).hasSizeGreaterThanOrEqualTo(3);
        for (int i = 1; i < 3; i++) {
            int prev = Integer.parseInt(leaders.get(i - 1).substring(1));
            assertThat(leaders.get(i)).as("leader after %s", leaders.get(i - 1)).isEqualTo("r" + ((prev + 1) % 3));
        }
        cluster.awaitConverged(1, Duration.ofSeconds(20));
        cluster.recordFinalChains();
        HistoryChecker.check(cluster.history.events()).requireValid();
    }

    @Test
    void aReplicaWithoutALeaderForTheConfiguredTimeIsNotified() {
        cluster = new LocalCluster(3, tmp, LocalCluster.fastConfig().withNoLeaderTimeoutMs(1_000)).startAll();
        ReplicatedAggregator leader = cluster.awaitLeader(LocalCluster.LEADER_WAIT);
        ReplicatedAggregator survivor = cluster.running().stream().filter(r -> r != leader).findFirst().orElseThrow();
        AtomicBoolean noLeader = new AtomicBoolean();
        survivor.addListener(new ReplicaEvents() {
            @Override
            public void onExtendedNoLeader() {
                noLeader.set(true);
            }
        });

        for (ReplicatedAggregator r : cluster.running()) {
            if (r != survivor) {
                cluster.kill(r.replicaId());
            }
        }

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilTrue(noLeader);
        assertThat(survivor.isLeader()).isFalse();
    }

    @Test
    void aVoterCanBeAddedAndRemovedAtRunTime() throws Exception {
        cluster = new LocalCluster(3, tmp, LocalCluster.fastConfig()).startAll();
        ReplicatedAggregator leader = cluster.awaitLeader(LocalCluster.LEADER_WAIT);
        AggregatorClient client = cluster.client("c0");
        client.submitUntilAcked(LocalCluster.update("c0", 0, 0, 1f), 10_000);

        ReplicatedAggregator joiner = cluster.startJoining("r3");
        leader.addPeer(joiner.address(), false);
        client.putEndpoint(joiner);

        assertThat(leader.membership()).containsEntry("r3", true).hasSize(4);
        List<CheckpointCommitted> chain = cluster.awaitConverged(1, Duration.ofSeconds(20));
        assertThat(joiner.chain()).isEqualTo(chain);

        String removed = cluster.running().stream().filter(r -> r != leader && r != joiner)
                .findFirst().orElseThrow().replicaId();
        leader.removePeer(removed);
        cluster.kill(removed);
        client.removeEndpoint(removed);

        Map<String, Boolean> members = leader.membership();
        assertThat(members).doesNotContainKey(removed).hasSize(3);
        UpdateAck ack = client.submitUntilAcked(LocalCluster.update("c0", 1, 1, 2f), 10_000);
        assertThat(cluster.awaitConverged(ack.version(), Duration.ofSeconds(20))).hasSizeGreaterThan((int) ack.version());
    }

    @Test
    void aNonVotingListenerFollowsTheChainWithoutCountingTowardsTheMajority() throws Exception {
        cluster = new LocalCluster(3, tmp, LocalCluster.fastConfig()).startAll();
        ReplicatedAggregator leader = cluster.awaitLeader(LocalCluster.LEADER_WAIT);
        ReplicatedAggregator listener = cluster.startListener("l0");
        leader.addPeer(listener.address(), true);
        AggregatorClient client = cluster.client("c0");

        UpdateAck ack = client.submitUntilAcked(LocalCluster.update("c0", 0, 0, 1f), 10_000);

        assertThat(leader.membership()).containsEntry("l0", false);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> listener.stateMachine().committedIn("c0/0").isPresent());
        assertThat(listener.raftRole()).isEqualTo("LISTENER");
        assertThat(listener.chain().get((int) ack.version())).isEqualTo(leader.chain().get((int) ack.version()));
    }

    @Test
    void aListenerPromotedToVoterCanTakeOverAndLead() throws Exception {
        cluster = new LocalCluster(3, tmp, LocalCluster.fastConfig()).startAll();
        ReplicatedAggregator leader = cluster.awaitLeader(LocalCluster.LEADER_WAIT);
        ReplicatedAggregator listener = cluster.startListener("l0");
        leader.addPeer(listener.address(), true);
        AggregatorClient client = cluster.client("c0");
        UpdateAck first = client.submitUntilAcked(LocalCluster.update("c0", 0, 0, 1f), 10_000);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> listener.stateMachine().committedIn("c0/0").isPresent());

        leader.addPeer(listener.address(), false);
        assertThat(leader.membership()).containsEntry("l0", true).hasSize(4);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> listener.raftRole().equals("FOLLOWER"));
        leader.transferLeadership("l0", 10_000);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(listener::isLeader);

        client.putEndpoint(listener);
        UpdateAck next = client.submitUntilAcked(LocalCluster.update("c0", 1, first.version(), 2f), 10_000);
        assertThat(listener.chain().get((int) next.version()).proposer()).isEqualTo("l0");
        assertThat(cluster.awaitConverged(next.version(), Duration.ofSeconds(20))).hasSizeGreaterThan((int) next.version());
    }
}
