package io.starling.raft.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.net.fault.FaultInjector;
import io.starling.raft.fault.InstallsRaftFaultHook;
import io.starling.raft.fault.RaftFaultInjection;
import io.starling.raft.history.HistoryChecker;
import io.starling.raft.history.HistoryEvent;
import io.starling.raft.log.CheckpointCommitted;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Network partitions through the fault layer ({@link RaftFaultInjection} for Raft traffic,
 * {@code FaultInjectingBlobReplicator} for blobs, {@code FaultInjectingEndpoint} for clients) on
 * real Ratis servers on 127.0.0.1. The old leader is cut off together with some clients ("m*");
 * the other replicas keep the other clients ("c*").
 */
@InstallsRaftFaultHook
@Timeout(120)
class PartitionTest {
    private static final long SEED = 20261123L;
    private static final int MAX_ROUNDS = 200;

    @TempDir
    Path tmp;

    private final FaultInjector faults = new FaultInjector(SEED);
    private RaftFaultInjection raftFaults;
    private LocalCluster cluster;
    private ExecutorService clients;
    private final AtomicBoolean stop = new AtomicBoolean();

    @BeforeEach
    void installFaultLayer() {
        raftFaults = RaftFaultInjection.install(faults);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        stop.set(true);
        faults.clear();
        try {
            if (clients != null) {
                clients.shutdownNow();
                clients.awaitTermination(10, TimeUnit.SECONDS);
            }
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            raftFaults.close();
        }
    }

    /**
     * Clients cut off with the old leader resend, after healing, updates they trained before the
     * cut, while the majority committed on; this test is about counting those once, so the
     * staleness bound is out of the way ({@code StaleUpdateTest} covers it).
     */
    private static AggregatorConfig partitionConfig() {
        return LocalCluster.fastConfig().withMaxStaleness(1_000);
    }

    /** One client's acknowledged updates, in order. */
    private record Ack(String updateId, long version) {
    }

    /** Submits rounds one after the other until {@link #stop} (at most {@value #MAX_ROUNDS}); returns the acks. */
    private Future<List<Ack>> runClient(String clientId, List<Ack> acks) {
        AggregatorClient client = cluster.client(clientId, faults);
        return clients.submit(() -> {
            for (int round = 0; round < MAX_ROUNDS && !stop.get(); round++) {
                long base = acks.isEmpty() ? 0 : acks.getLast().version();
                UpdateAck ack = client.submitUntilAcked(LocalCluster.update(clientId, round, base, round % 7), 60_000);
                acks.add(new Ack(ack.updateId(), ack.version()));
            }
            return acks;
        });
    }

    /**
     * Brings the group to a quiet state with a few committed checkpoints, so nothing is in flight
     * when the cut comes, and returns the leader.
     */
    private ReplicatedAggregator warmUp() throws InterruptedException {
        ReplicatedAggregator leader = cluster.awaitLeader(LocalCluster.LEADER_WAIT);
        AggregatorClient warm = cluster.client("w0");
        for (int round = 0; round < 4; round++) {
            warm.submitUntilAcked(LocalCluster.update("w0", round, cluster.latestVersion(), round), 15_000);
        }
        cluster.awaitConverged(leader.latest().orElseThrow().version(), Duration.ofSeconds(20));
        awaitQuietRaftLogs(Duration.ofSeconds(20));
        // Leadership may have moved during the warm-up on a loaded machine: cut whoever leads now.
        return cluster.awaitLeader(Duration.ofSeconds(10));
    }

    /**
     * Waits until every replica has committed everything in its Raft log and all logs end at the
     * same index. An entry appended just before the cut (the term's first entry, say) could
     * otherwise still be on its way: replicated to the followers before the cut, its commit would
     * reach the old leader only after the test read the old leader's commit index.
     */
    private void awaitQuietRaftLogs(Duration within) {
        Awaitility.await("every Raft log committed to the same last index (positions by replica)").atMost(within)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    Map<String, ReplicatedAggregator.RaftLogPosition> positions = new TreeMap<>();
                    for (ReplicatedAggregator r : cluster.running()) {
                        positions.put(r.replicaId(), r.raftLogPosition());
                    }
                    return positions;
                }, positions -> positions.values().stream().allMatch(p -> p.committedIndex() == p.lastAppendedIndex())
                        && positions.values().stream().map(ReplicatedAggregator.RaftLogPosition::lastAppendedIndex)
                                .distinct().count() == 1);
    }

    private ReplicatedAggregator awaitLeaderAmong(List<ReplicatedAggregator> side, Duration within) {
        return Awaitility.await("a leader among " + side.stream().map(ReplicatedAggregator::replicaId).toList())
                .atMost(within).pollInterval(Duration.ofMillis(20))
                .until(() -> side.stream().filter(ReplicatedAggregator::isLeader).findFirst().orElse(null), l -> l != null);
    }

    private static List<String> absorbed(List<CheckpointCommitted> chain) {
        return chain.stream().flatMap(c -> c.includedUpdateIds().stream()).toList();
    }

    @Test
    void anIsolatedLeaderCannotCommitAndAfterHealingFollowsTheNewLeaderWithNoUpdateCountedTwice() throws Exception {
        cluster = new LocalCluster(3, tmp, partitionConfig()).withBlobFaults(faults).startAll();
        ReplicatedAggregator old = warmUp();
        List<ReplicatedAggregator> majority = cluster.running().stream().filter(r -> r != old).toList();
        List<String> majorityIds = majority.stream().map(ReplicatedAggregator::replicaId).toList();

        faults.partition(Set.of(old.replicaId(), "m0", "m1"), Set.of(majorityIds.get(0), majorityIds.get(1), "c0", "c1"));
        long versionAtCut = old.latest().orElseThrow().version();
        long committedAtCut = old.raftLogPosition().committedIndex();
        clients = Executors.newFixedThreadPool(4);
        Map<String, List<Ack>> acks = new TreeMap<>();
        List<Future<List<Ack>>> runs = new ArrayList<>();
        for (String c : List.of("m0", "m1", "c0", "c1")) {
            acks.put(c, new CopyOnWriteArrayList<>());
            runs.add(runClient(c, acks.get(c)));
        }

        ReplicatedAggregator next = awaitLeaderAmong(majority, Duration.ofSeconds(10));
        Awaitility.await("the majority side commits and acknowledges its clients").atMost(Duration.ofSeconds(20))
                .until(() -> next.latest().orElseThrow().version() >= versionAtCut + 3
                        && acks.get("c0").size() >= 2 && acks.get("c1").size() >= 2);
        Awaitility.await("the old leader steps down").atMost(Duration.ofSeconds(10)).until(() -> !old.isLeader());

        assertThat(old.latest().orElseThrow().version()).as("old leader's chain during the partition").isEqualTo(versionAtCut);
        assertThat(old.raftLogPosition().committedIndex()).as("old leader's commit index").isEqualTo(committedAtCut);
        assertThat(acks.get("m0")).as("acks to clients stuck with the old leader").isEmpty();
        assertThat(acks.get("m1")).as("acks to clients stuck with the old leader").isEmpty();
        assertThat(next.chain().subList(0, (int) versionAtCut + 1)).isEqualTo(old.chain());
        assertThat(raftFaults.droppedRequests()).isPositive();

        faults.clear();
        Awaitility.await("the old leader follows the majority's leader").atMost(Duration.ofSeconds(15))
                .until(() -> !old.isLeader() && old.leaderHint()
                        .filter(h -> majority.stream().anyMatch(r -> r.isLeader() && r.replicaId().equals(h))).isPresent());
        Awaitility.await("clients of the old leader are acknowledged after healing").atMost(Duration.ofSeconds(30))
                .until(() -> acks.get("m0").size() >= 2 && acks.get("m1").size() >= 2);
        stop.set(true);
        Set<String> acked = new HashSet<>();
        for (Future<List<Ack>> run : runs) {
            run.get(90, TimeUnit.SECONDS).forEach(a -> acked.add(a.updateId()));
        }

        List<CheckpointCommitted> chain = cluster.awaitConverged(next.latest().orElseThrow().version(), Duration.ofSeconds(20));
        cluster.recordFinalChains();
        HistoryChecker.check(cluster.history.events()).requireValid();
        assertThat(absorbed(chain)).as("update ids across all checkpoints").doesNotHaveDuplicates().containsAll(acked);
        for (String pendingAtOldLeader : List.of("m0/0", "m1/0")) {
            assertThat(absorbed(chain)).containsOnlyOnce(pendingAtOldLeader);
            assertThat(cluster.history.events()).as("resends of " + pendingAtOldLeader)
                    .anyMatch(e -> e.type() == HistoryEvent.Type.RESEND && pendingAtOldLeader.equals(e.updateId()));
            long version = chain.stream().filter(c -> c.includedUpdateIds().contains(pendingAtOldLeader))
                    .findFirst().orElseThrow().version();
            assertThat(version).as("version that absorbed " + pendingAtOldLeader).isGreaterThan(versionAtCut);
        }
    }

    @Test
    void anUncommittedCheckpointOfAnIsolatedLeaderIsDiscardedWhenItRejoinsAndItsUpdatesCountOnce() throws Exception {
        // Only Raft traffic and clients are cut; blobs still flow, so the old leader gets as far as
        // proposing a checkpoint, which it cannot commit.
        cluster = new LocalCluster(3, tmp, partitionConfig()).startAll();
        ReplicatedAggregator old = warmUp();
        List<ReplicatedAggregator> majority = cluster.running().stream().filter(r -> r != old).toList();
        List<String> majorityIds = majority.stream().map(ReplicatedAggregator::replicaId).toList();

        faults.partition(Set.of(old.replicaId(), "m0"), Set.of(majorityIds.get(0), majorityIds.get(1), "c0"));
        long versionAtCut = old.latest().orElseThrow().version();
        clients = Executors.newFixedThreadPool(2);
        Map<String, List<Ack>> acks = Map.of("m0", new CopyOnWriteArrayList<>(), "c0", new CopyOnWriteArrayList<>());
        Future<List<Ack>> minority = runClient("m0", acks.get("m0"));

        Awaitility.await("the old leader appends a proposal it cannot commit").atMost(Duration.ofSeconds(10))
                .until(() -> {
                    ReplicatedAggregator.RaftLogPosition p = old.raftLogPosition();
                    return p.lastAppendedIndex() > p.committedIndex();
                });
        Future<List<Ack>> majoritySide = runClient("c0", acks.get("c0"));
        ReplicatedAggregator next = awaitLeaderAmong(majority, Duration.ofSeconds(10));
        Awaitility.await("the majority side commits").atMost(Duration.ofSeconds(20))
                .until(() -> next.latest().orElseThrow().version() >= versionAtCut + 2 && acks.get("c0").size() >= 2);
        Awaitility.await("the old leader steps down").atMost(Duration.ofSeconds(10)).until(() -> !old.isLeader());

        ReplicatedAggregator.RaftLogPosition stuck = old.raftLogPosition();
        assertThat(stuck.lastAppendedIndex()).as("old leader's log still holds its unfinished proposal")
                .isGreaterThan(stuck.committedIndex());
        assertThat(old.latest().orElseThrow().version()).isEqualTo(versionAtCut);
        assertThat(old.stateMachine().committedIn("m0/0")).isEmpty();
        assertThat(acks.get("m0")).isEmpty();

        faults.clear();
        Awaitility.await("m0 is acknowledged after healing").atMost(Duration.ofSeconds(30))
                .until(() -> acks.get("m0").size() >= 2);
        stop.set(true);
        minority.get(90, TimeUnit.SECONDS);
        majoritySide.get(90, TimeUnit.SECONDS);

        List<CheckpointCommitted> chain = cluster.awaitConverged(next.latest().orElseThrow().version(), Duration.ofSeconds(20));
        cluster.recordFinalChains();
        HistoryChecker.check(cluster.history.events()).requireValid();
        assertThat(chain.get((int) versionAtCut + 1).proposer())
                .as("the first checkpoint after the cut comes from the new leader, not the old leader's discarded proposal")
                .isEqualTo(next.replicaId());
        assertThat(absorbed(chain)).doesNotHaveDuplicates().containsOnlyOnce("m0/0");
        assertThat(old.rejectedProposals()).as("proposals of the deposed leader that reached the new leader's log").isZero();
        ReplicatedAggregator.RaftLogPosition healed = old.raftLogPosition();
        assertThat(healed.committedIndex()).isGreaterThan(stuck.lastAppendedIndex());
    }
}
