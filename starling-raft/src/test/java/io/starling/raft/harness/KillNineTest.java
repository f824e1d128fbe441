package io.starling.raft.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.param.ParamVector;
import io.starling.raft.aggregator.AggregatorClient;
import io.starling.raft.aggregator.ClientUpdate;
import io.starling.raft.aggregator.UpdateAck;
import io.starling.raft.history.HistoryChecker;
import io.starling.raft.history.HistoryRecorder;
import io.starling.raft.log.CheckpointCommitted;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Replicas as real OS processes reached over gRPC; the leader dies by SIGKILL. */
@Timeout(150)
class KillNineTest {
    private static final int DIM = 32;

    @TempDir
    Path tmp;

    private ReplicaProcesses replicas;
    private ExecutorService clients;
    private HistoryRecorder clientHistory;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (clients != null) {
            clients.shutdownNow();
            clients.awaitTermination(10, TimeUnit.SECONDS);
        }
        if (replicas != null) {
            replicas.close();
        }
        if (clientHistory != null) {
            clientHistory.close();
        }
    }

    /** An update trained from {@code baseVersion}, the version of the client's previous ack. */
    private static ClientUpdate update(String client, int round, long baseVersion) {
        float[] w = new float[DIM];
        java.util.Arrays.fill(w, round);
        return new ClientUpdate(client + "/" + round, client, baseVersion, ParamVector.wrap(w), 5, 0.1);
    }

    @Test
    void sigkillingTheLeaderTwiceLosesNoAcknowledgedUpdateAndReplicasEndIdentical() throws Exception {
        replicas = new ReplicaProcesses(tmp, 3, DIM, List.of("--election-ms", "400:800"));
        replicas.startAll(60_000);
        clientHistory = HistoryRecorder.open(tmp.resolve("clients-history.jsonl"));
        assertThat(replicas.awaitLeader(20_000, 50)).isPresent();

        AtomicBoolean stop = new AtomicBoolean();
        clients = Executors.newFixedThreadPool(2);
        List<Future<List<UpdateAck>>> runs = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            String id = "c" + c;
            AggregatorClient client = new AggregatorClient(id, replicas.endpoints(), 4_000, 100, clientHistory,
                    System::currentTimeMillis);
            runs.add(clients.submit(() -> {
                List<UpdateAck> acks = new ArrayList<>();
                for (int round = 0; !stop.get(); round++) {
                    long base = acks.isEmpty() ? 0 : acks.getLast().version();
                    acks.add(client.submitUntilAcked(update(id, round, base), 40_000));
                    Thread.sleep(50); // local training between submissions
                }
                return acks;
            }));
        }

        for (long killAtVersion : new long[] {3, 12}) {
            String leader = replicas.awaitLeader(20_000, 50).orElseThrow();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> replicas.status(leader)
                    .map(s -> s.latestVersion() >= killAtVersion).orElse(true));
            // A single fault: every follower has caught up before the leader dies.
            Awaitility.await("followers caught up").atMost(Duration.ofSeconds(60)).until(() -> {
                long lead = replicas.latestVersion(leader);
                return replicas.ids().stream().allMatch(id -> replicas.latestVersion(id) >= lead - 1);
            });
            replicas.kill9(leader);
            String next = replicas.awaitLeader(30_000, 20).orElseThrow();
            assertThat(next).isNotEqualTo(leader);
            replicas.start(leader, 60_000);
        }

        String last = replicas.awaitLeader(30_000, 20).orElseThrow();
        long afterKills = replicas.status(last).orElseThrow().latestVersion();
        Awaitility.await("progress after the last failover").atMost(Duration.ofSeconds(60))
                .until(() -> replicas.latestVersion(last) >= afterKills + 3);
        stop.set(true);
        Set<String> acked = new HashSet<>();
        for (Future<List<UpdateAck>> run : runs) {
            run.get(120, TimeUnit.SECONDS).forEach(a -> acked.add(a.updateId()));
        }
        assertThat(acked).hasSizeGreaterThan(24);
        List<CheckpointCommitted> chain = Awaitility.await("replicas converge").atMost(Duration.ofSeconds(30))
                .until(() -> {
                    List<List<CheckpointCommitted>> chains = replicas.ids().stream()
                            .map(replicas::chain).toList();
                    return chains.stream().allMatch(chains.getFirst()::equals) ? chains.getFirst() : null;
                }, c -> c != null && c.stream().flatMap(x -> x.includedUpdateIds().stream()).count() == acked.size());
        assertThat(chain.stream().flatMap(c -> c.includedUpdateIds().stream()).toList())
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(acked);
        for (String id : replicas.ids()) {
            clientHistory.finalChain(id, replicas.chain(id));
        }

        List<Path> files = new ArrayList<>(replicas.historyFiles());
        files.add(tmp.resolve("clients-history.jsonl"));
        HistoryChecker.Result result = HistoryChecker.check(HistoryRecorder.read(files)).requireValid();
        assertThat(result.acks()).isEqualTo(acked.size());
        assertThat(chain.stream().map(CheckpointCommitted::proposer).distinct().count()).isGreaterThanOrEqualTo(2);
    }
}
