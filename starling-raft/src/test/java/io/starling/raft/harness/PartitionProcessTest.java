package io.starling.raft.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.param.ParamVector;
import io.starling.net.fault.FaultControlService;
import io.starling.net.fault.FaultRule;
import io.starling.net.proto.FaultControlGrpc;
import io.starling.net.proto.FaultRules;
import io.starling.protocol.NodeId;
import io.starling.raft.aggregator.AggregatorClient;
import io.starling.raft.aggregator.ClientUpdate;
import io.starling.raft.aggregator.UpdateAck;
import io.starling.raft.history.HistoryChecker;
import io.starling.raft.history.HistoryEvent;
import io.starling.raft.history.HistoryRecorder;
import io.starling.raft.log.CheckpointCommitted;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partition scenario of the in-JVM {@code PartitionTest}, with each replica its own OS process
 * started with {@code --faults true}: the test cuts the leader off from both followers (Raft and
 * blobs, both ways) by setting the same rules on every replica over its {@code FaultControl}
 * service, and heals by clearing them. Clients run in the test JVM over gRPC; the isolated client
 * {@code m0} reaches only the old leader until the heal.
 */
@Timeout(180)
class PartitionProcessTest {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionProcessTest.class);
    private static final int DIM = 32;
    private static final String PENDING = "m0/0";

    /** Kept when the test fails: it holds each replica's log and history. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    private ReplicaProcesses replicas;
    private HistoryRecorder clientHistory;
    private ExecutorService clients;
    private final AtomicBoolean stop = new AtomicBoolean();

    @AfterEach
    void tearDown() throws InterruptedException {
        stop.set(true);
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

    private static ClientUpdate update(String clientId, int round, long baseVersion) {
        float[] w = new float[DIM];
        Arrays.fill(w, round % 5);
        return new ClientUpdate(clientId + "/" + round, clientId, baseVersion, ParamVector.wrap(w), 5, 0.1);
    }

    private AggregatorClient client(String clientId, List<String> replicaIds) {
        return new AggregatorClient(clientId, replicaIds.stream().map(replicas::endpoint).toList(), 2_000, 100,
                clientHistory, System::currentTimeMillis);
    }

    /** Replaces the fault rules of every replica process with {@code rules} (empty: heal). */
    private void setRulesEverywhere(List<FaultRule> rules) {
        FaultRules wire = FaultControlService.toProto(rules);
        for (String id : replicas.ids()) {
            FaultRules applied = FaultControlGrpc.newBlockingStub(replicas.channels().to(NodeId.of(id), replicas.grpcAddress(id)))
                    .withDeadlineAfter(5, TimeUnit.SECONDS).setRules(wire);
            assertThat(applied.getRulesCount()).as("rules applied on " + id).isEqualTo(rules.size());
        }
    }

    /** Submits rounds one after the other until {@link #stop}, recording each ack. */
    private Future<?> runClient(AggregatorClient client, String clientId, List<UpdateAck> acks) {
        return clients.submit(() -> {
            for (int round = 0; round < 200 && !stop.get(); round++) {
                long base = acks.isEmpty() ? 0 : acks.getLast().version();
                acks.add(client.submitUntilAcked(update(clientId, round, base), 60_000));
            }
            return null;
        });
    }

    private List<CheckpointCommitted> awaitIdenticalChains(long minVersion, Duration within) {
        return Awaitility.await("identical chains on every replica").atMost(within).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> {
                    List<List<CheckpointCommitted>> chains = new ArrayList<>();
                    for (String id : replicas.ids()) {
                        chains.add(replicas.chain(id));
                    }
                    return chains.stream().allMatch(chains.getFirst()::equals) ? chains.getFirst() : null;
                }, c -> c != null && c.getLast().version() >= minVersion);
    }

    /**
     * Cuts the current leader off from every other replica, both ways, and returns it; tries again
     * (after healing) if leadership moved while the rules were being set.
     */
    private String cutOffTheLeader() throws InterruptedException {
        for (int attempt = 0; attempt < 3; attempt++) {
            String leader = replicas.awaitLeader(20_000, 50).orElseThrow();
            List<FaultRule> cut = new ArrayList<>();
            for (String other : replicas.ids()) {
                if (!other.equals(leader)) {
                    cut.add(FaultRule.drop(leader, other));
                    cut.add(FaultRule.drop(other, leader));
                }
            }
            setRulesEverywhere(cut);
            if (replicas.status(leader).map(ReplicaStatus::isLeader).orElse(false)) {
                return leader;
            }
            setRulesEverywhere(List.of());
        }
        throw new AssertionError("leadership kept moving: could not cut off a leader in 3 attempts");
    }

    private static List<String> absorbed(List<CheckpointCommitted> chain) {
        return chain.stream().flatMap(c -> c.includedUpdateIds().stream()).toList();
    }

    @Test
    void anIsolatedLeaderProcessCannotCommitAndAfterHealingFollowsTheNewLeaderWithItsPendingUpdateCountedOnce()
            throws Exception {
        replicas = new ReplicaProcesses(tmp, 3, DIM, List.of("--election-ms", "400:800", "--faults", "true",
                "--max-staleness", "1000"));
        replicas.startAll(60_000);
        clientHistory = HistoryRecorder.open(tmp.resolve("clients-history.jsonl"));
        AggregatorClient warm = client("w0", replicas.ids());
        long base = 0;
        for (int round = 0; round < 4; round++) {
            base = warm.submitUntilAcked(update("w0", round, base), 30_000).version();
        }
        long warmVersion = base;
        Awaitility.await("every replica applied the warm-up").atMost(Duration.ofSeconds(30))
                .until(() -> replicas.ids().stream().allMatch(id -> replicas.latestVersion(id) >= warmVersion));

        String old = cutOffTheLeader();
        long cutAtNanos = System.nanoTime();
        List<String> followers = replicas.ids().stream().filter(id -> !id.equals(old)).toList();
        List<CheckpointCommitted> chainAtCut = replicas.chain(old);
        long versionAtCut = chainAtCut.getLast().version();

        clients = Executors.newFixedThreadPool(3);
        AggregatorClient isolated = client("m0", List.of(old));
        Future<UpdateAck> pending = clients.submit(() -> isolated.submitUntilAcked(update("m0", 0, versionAtCut), 90_000));
        List<UpdateAck> c0 = new CopyOnWriteArrayList<>();
        List<UpdateAck> c1 = new CopyOnWriteArrayList<>();
        Future<?> run0 = runClient(client("c0", followers), "c0", c0);
        Future<?> run1 = runClient(client("c1", followers), "c1", c1);

        String next = Awaitility.await("a new leader among " + followers).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> followers.stream().filter(f -> replicas.status(f).map(ReplicaStatus::isLeader).orElse(false))
                        .findFirst().orElse(null), l -> l != null);
        long electedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAtNanos);
        Awaitility.await("the majority commits and acknowledges its clients").atMost(Duration.ofSeconds(30))
                .until(() -> replicas.latestVersion(next) >= versionAtCut + 3 && c0.size() >= 2 && c1.size() >= 2);
        Awaitility.await("the old leader steps down").atMost(Duration.ofSeconds(20))
                .until(() -> replicas.status(old).map(s -> !s.isLeader()).orElse(false));

        assertThat(pending).as("the isolated client's update while cut off").isNotDone();
        assertThat(replicas.chain(old)).as("old leader's chain while cut off").isEqualTo(chainAtCut);
        assertThat(replicas.chain(next).subList(0, chainAtCut.size())).isEqualTo(chainAtCut);

        setRulesEverywhere(List.of());
        long healedAtNanos = System.nanoTime();
        followers.forEach(f -> isolated.putEndpoint(replicas.endpoint(f)));
        UpdateAck resent = pending.get(60, TimeUnit.SECONDS);
        long resentAckMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healedAtNanos);
        Awaitility.await("the old leader follows the new leader").atMost(Duration.ofSeconds(30))
                .until(() -> replicas.status(old).map(s -> !s.isLeader() && s.leader().equals(replicas.leader().orElse("?")))
                        .orElse(false));
        stop.set(true);
        run0.get(90, TimeUnit.SECONDS);
        run1.get(90, TimeUnit.SECONDS);

        long newest = replicas.latestVersion(replicas.awaitLeader(20_000, 50).orElseThrow());
        List<CheckpointCommitted> chain = awaitIdenticalChains(newest, Duration.ofSeconds(30));
        Set<String> acked = new HashSet<>();
        c0.forEach(a -> acked.add(a.updateId()));
        c1.forEach(a -> acked.add(a.updateId()));
        acked.add(resent.updateId());
        assertThat(absorbed(chain)).as("update ids across all checkpoints").doesNotHaveDuplicates().containsAll(acked)
                .containsOnlyOnce(PENDING);
        assertThat(chain.stream().filter(c -> c.includedUpdateIds().contains(PENDING)).findFirst().orElseThrow().version())
                .as("version that absorbed " + PENDING).isGreaterThan(versionAtCut);

        for (String id : replicas.ids()) {
            clientHistory.finalChain(id, replicas.chain(id));
        }
        List<Path> files = new ArrayList<>(replicas.historyFiles());
        files.add(tmp.resolve("clients-history.jsonl"));
        List<HistoryEvent> events = HistoryRecorder.read(files);
        HistoryChecker.check(events).requireValid();
        assertThat(events).as("resends of " + PENDING)
                .anyMatch(e -> e.type() == HistoryEvent.Type.RESEND && PENDING.equals(e.updateId()));
        LOG.info("partition: {} cut off at v{}; new leader {} after {} ms; {} acked in v{} {} ms after healing;"
                + " final chain v{}, {} updates", old, versionAtCut, next, electedMs, PENDING, resent.version(),
                resentAckMs, chain.getLast().version(), absorbed(chain).size());
    }
}
