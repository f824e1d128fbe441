package io.starling.raft.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.net.fault.FaultInjector;
import io.starling.raft.fault.InstallsRaftFaultHook;
import io.starling.raft.fault.RaftFaultInjection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader that appended entries it never committed (a divergent tail), restarted into a group
 * that has moved on and gone idle, catches up: the entries are replaced by the group's log. This
 * is the situation of a killed leader restarted after its clients are done, where Ratis 3.3's
 * stock appender can keep the follower behind (see {@link io.starling.raft.ratis.CatchUpLogAppender}).
 */
@InstallsRaftFaultHook
@Timeout(120)
class DivergentTailCatchUpTest {
    private static final long SEED = 11;
    private static final int UNCOMMITTED_ENTRIES = 3;

    @TempDir
    Path tmp;

    private final FaultInjector faults = new FaultInjector(SEED);
    private RaftFaultInjection raftFaults;
    private LocalCluster cluster;
    private ExecutorService proposers;

    @BeforeEach
    void installFaultLayer() {
        raftFaults = RaftFaultInjection.install(faults);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        faults.clear();
        if (proposers != null) {
            proposers.shutdownNow();
            proposers.awaitTermination(10, TimeUnit.SECONDS);
        }
        if (cluster != null) {
            cluster.close();
        }
        raftFaults.close();
    }

    @Test
    void aRestartedLeaderWithUncommittedEntriesCatchesUpWithAnIdleGroup() throws Exception {
        cluster = new LocalCluster(3, tmp, LocalCluster.fastConfig()).startAll();
        ReplicatedAggregator old = cluster.awaitLeader(LocalCluster.LEADER_WAIT);
        cluster.awaitConverged(0, Duration.ofSeconds(30));
        List<ReplicatedAggregator> majority = cluster.running().stream().filter(r -> r != old).toList();
        Set<String> majorityIds = Set.of(majority.get(0).replicaId(), majority.get(1).replicaId());

        faults.partition(Set.of(old.replicaId()), majorityIds);
        proposers = Executors.newFixedThreadPool(UNCOMMITTED_ENTRIES);
        List<Future<?>> doomed = new ArrayList<>();
        for (int i = 0; i < UNCOMMITTED_ENTRIES; i++) {
            Map<String, String> settings = Map.of("note", "from the cut-off leader " + i);
            doomed.add(proposers.submit(() -> {
                old.proposeSettings(settings);
                return null;
            }));
        }
        Awaitility.await("the cut-off leader appends entries it cannot commit").atMost(Duration.ofSeconds(20))
                .until(() -> {
                    ReplicatedAggregator.RaftLogPosition p = old.raftLogPosition();
                    return p.lastAppendedIndex() - p.committedIndex() >= UNCOMMITTED_ENTRIES;
                });
        ReplicatedAggregator next = Awaitility.await("a leader among the majority").atMost(Duration.ofSeconds(30))
                .until(() -> majority.stream().filter(ReplicatedAggregator::isLeader).findFirst().orElse(null), l -> l != null);
        next.proposeSettings(Map.of("note", "from the new leader"));

        cluster.kill(old.replicaId());
        faults.clear();
        long committedBeforeRestart = next.raftLogPosition().committedIndex();
        ReplicatedAggregator restarted = cluster.start(old.replicaId());

        try {
            Awaitility.await("the restarted replica's log catches up").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> restarted.raftLogPosition().committedIndex() >= committedBeforeRestart
                            && restarted.chain().equals(next.chain()));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the restarted replica did not catch up with commit index "
                    + committedBeforeRestart + ":\n" + cluster.describe(), e);
        }
        assertThat(restarted.raftLogPosition().lastAppendedIndex())
                .as("the divergent tail was replaced by the group's log")
                .isEqualTo(next.raftLogPosition().lastAppendedIndex());
    }
}
