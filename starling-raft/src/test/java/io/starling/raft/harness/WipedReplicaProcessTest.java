package io.starling.raft.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.param.ParamVector;
import io.starling.net.transport.LocalNode;
import io.starling.raft.aggregator.AggregatorClient;
import io.starling.raft.aggregator.ClientUpdate;
import io.starling.raft.grpc.ClusterClient;
import io.starling.raft.history.HistoryChecker;
import io.starling.raft.history.HistoryRecorder;
import io.starling.raft.log.CheckpointCommitted;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica OS process is SIGKILLed, its whole data directory (Raft log, snapshots, blob store)
 * deleted, and it is started again under the same id and ports: it must catch up over the real
 * transports (Raft over Ratis gRPC, the model over the Blob service) and then lead. The in-JVM
 * {@code SnapshotCatchUpTest} shows the same through an installed snapshot.
 *
 * <p>Without the leader's stuck-follower hand-over this failed in 5 of 9 runs (Ratis 3.3 left the
 * wiped replica behind; see docs/replicated-aggregator.md). Tagged {@code slow} (three JVMs, about
 * a minute) and left out of the default build: run it with {@code -Dstarling.raft.excludedGroups=none}.
 */
@Timeout(180)
@Tag("slow")
class WipedReplicaProcessTest {
    private static final int DIM = 32;

    /** Kept when the test fails: it holds each replica's log and history. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    private ReplicaProcesses replicas;
    private HistoryRecorder clientHistory;
    private ExecutorService clients;

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

    /** The version of the client's latest ack: the base it trains its next update from. */
    private final java.util.concurrent.atomic.AtomicLong lastAckedVersion = new java.util.concurrent.atomic.AtomicLong();

    private ClientUpdate update(int round) {
        float[] w = new float[DIM];
        java.util.Arrays.fill(w, round % 5);
        return new ClientUpdate("c0/" + round, "c0", lastAckedVersion.get(), ParamVector.wrap(w), 5, 0.1);
    }

    private void submitRound(AggregatorClient client, int round) throws InterruptedException {
        lastAckedVersion.set(client.submitUntilAcked(update(round), 40_000).version());
    }

    private void submitRounds(AggregatorClient client, int from, int to) throws InterruptedException {
        for (int round = from; round < to; round++) {
            submitRound(client, round);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Waits until every replica reports the same chain of at least {@code minSize} checkpoints. */
    private List<CheckpointCommitted> awaitIdenticalChains(int minSize, Duration within) {
        return Awaitility.await("identical chains on every replica").atMost(within).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    List<List<CheckpointCommitted>> chains = new ArrayList<>();
                    for (String id : replicas.ids()) {
                        try {
                            chains.add(replicas.chain(id));
                        } catch (RuntimeException notAnswering) {
                            return null;
                        }
                    }
                    return chains.stream().allMatch(chains.getFirst()::equals) ? chains.getFirst() : null;
                }, c -> c != null && c.size() >= minSize);
    }

    @Test
    void aReplicaProcessRestartedWithAWipedDataDirectoryCatchesUpAndLeadsAfterATransfer() throws Exception {
        replicas = new ReplicaProcesses(tmp, 3, DIM, List.of("--election-ms", "400:800", "--snapshot-every", "8"));
        replicas.startAll(60_000);
        clientHistory = HistoryRecorder.open(tmp.resolve("clients-history.jsonl"));
        String leader = replicas.awaitLeader(20_000, 50).orElseThrow();
        AggregatorClient client = new AggregatorClient("c0", replicas.endpoints(), 4_000, 100, clientHistory,
                System::currentTimeMillis);
        submitRounds(client, 0, 6);
        String victim = replicas.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        // A single fault: every replica has caught up before the victim dies.
        Awaitility.await("every replica caught up before the kill").atMost(Duration.ofSeconds(60))
                .until(() -> replicas.ids().stream().allMatch(id -> replicas.latestVersion(id) >= replicas.latestVersion(leader)));

        replicas.kill9(victim);
        deleteTree(tmp.resolve(victim));
        assertThat(tmp.resolve(victim)).doesNotExist();
        submitRounds(client, 6, 24);
        long versionWhileDown = replicas.latestVersion(leader);

        // Training goes on while the wiped replica comes back (on an idle group Ratis 3.3 may
        // never resend the log to it: RATIS-2523, see docs/replicated-aggregator.md).
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger rounds = new AtomicInteger(24);
        clients = Executors.newSingleThreadExecutor();
        Future<?> training = clients.submit(() -> {
            while (!stop.get()) {
                submitRound(client, rounds.getAndIncrement());
                Thread.sleep(100); // local training between submissions
            }
            return null;
        });
        replicas.start(victim, 60_000);
        List<CheckpointCommitted> caughtUp = Awaitility.await("the wiped replica catches up").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> {
                    List<CheckpointCommitted> mine = replicas.chain(victim);
                    List<CheckpointCommitted> theirs = replicas.chain(leader);
                    return mine.size() > versionWhileDown && theirs.size() >= mine.size()
                            && theirs.subList(0, mine.size()).equals(mine) ? mine : null;
                }, c -> c != null);
        Awaitility.await("the wiped replica holds the latest model").atMost(Duration.ofSeconds(30))
                .until(() -> replicas.status(victim).map(ReplicaStatus::holdsLatestBlob).orElse(false));
        assertThat(tmp.resolve(victim)).isDirectory();

        // The harness' admin clients allow 1 s per call, and a transfer may take longer; it is
        // retried because leadership may move meanwhile (e.g. the leader's stuck-follower hand-over).
        Awaitility.await("the wiped replica leads").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .until(() -> {
                    if (replicas.status(victim).map(ReplicaStatus::isLeader).orElse(false)) {
                        return true;
                    }
                    String current = replicas.awaitLeader(20_000, 50).orElseThrow();
                    new ClusterClient(replicas.channels(), LocalNode.of("wipe-test", ""), replicas.grpcAddress(current), 20_000)
                            .transferLeadership(victim, 10_000);
                    return replicas.status(victim).map(ReplicaStatus::isLeader).orElse(false);
                });
        Awaitility.await("the wiped replica commits as leader").atMost(Duration.ofSeconds(30))
                .until(() -> replicas.status(victim).map(s -> s.proposer().equals(victim)).orElse(false));
        stop.set(true);
        training.get(60, TimeUnit.SECONDS);
        int submitted = rounds.get();

        List<CheckpointCommitted> after = awaitIdenticalChains(caughtUp.size() + 1, Duration.ofSeconds(30));
        assertThat(after).startsWith(caughtUp.toArray(CheckpointCommitted[]::new));
        assertThat(after.stream().map(CheckpointCommitted::proposer)).contains(victim);
        assertThat(after.stream().flatMap(c -> c.includedUpdateIds().stream()).toList())
                .doesNotHaveDuplicates().hasSize(submitted);
        Awaitility.await("every replica holds the newest model").atMost(Duration.ofSeconds(30))
                .until(() -> replicas.ids().stream().allMatch(id -> replicas.status(id)
                        .map(s -> s.holdsLatestBlob() && s.latestVersion() >= after.getLast().version()).orElse(false)));
        for (String id : replicas.ids()) {
            clientHistory.finalChain(id, replicas.chain(id));
        }
        List<Path> files = new ArrayList<>(replicas.historyFiles());
        files.add(tmp.resolve("clients-history.jsonl"));
        HistoryChecker.Result result = HistoryChecker.check(HistoryRecorder.read(files)).requireValid();
        assertThat(result.acks()).isEqualTo(submitted);
    }
}
