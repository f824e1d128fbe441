package io.starling.node.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.data.Dataset;
import io.starling.core.data.Mnist10k;
import io.starling.core.data.TrainTestSplit;
import io.starling.core.data.partition.Partitioners;
import io.starling.core.model.Model;
import io.starling.core.model.ModelFactory;
import io.starling.core.model.TrainConfig;
import io.starling.core.param.ParamVector;
import io.starling.protocol.hybrid.HybridState;
import io.starling.raft.aggregator.AggregatorConfig;
import io.starling.raft.aggregator.CheckpointAggregation;
import io.starling.raft.aggregator.ReplicatedAggregator;
import io.starling.raft.history.HistoryChecker;
import io.starling.raft.log.CheckpointCommitted;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, "all aggregators down for a while": five clients train on mnist10k (Dirichlet 0.5)
 * against three real Ratis replicas (called in-process, or behind their gRPC servers); every replica is stopped; the clients switch to gossip over
 * real gRPC sockets and keep learning; the replicas restart from their data directories; the
 * clients hand their gossip models back and the merged committed model is as good as the best
 * gossip model. The history of every submit, ack and commit is checked.
 */
@Timeout(150)
class GossipFallbackTest {
    private static final int CLIENTS = 5;
    private static final long FALLBACK_TIMEOUT_MS = 4_000;
    private static final long PROBE_PERIOD_MS = 1_000;
    private static final long GOSSIP_PERIOD_MS = 200;
    /** Allowed lateness of a switch beyond the timeout: one local training plus a loaded machine. */
    private static final long SWITCH_SLACK_MS = 2_500;
    private static final long OUTAGE_MS = 12_000;
    /**
     * How far below the best gossip model the checkpoint that merged the last hand-back, and the
     * committed model once recovered, may be. Updates are deltas against their own base since the
     * leader aggregates stale updates that way, so a client training on the pre-merge model no
     * longer pulls the merge back: over three runs per transport they were 0.006-0.017 and
     * 0.008-0.019 above the best gossip model when this was tightened from "mean - 0.01" and
     * "best - 0.02".
     */
    private static final double TOLERANCE = 0.01;
    /** "After recovery": this many checkpoints after the one with the last hand-back. */
    private static final int RECOVERY_VERSIONS = 5;

    @TempDir
    Path tmp;

    private ReplicaGroup replicas;
    private final List<FallbackClient> clients = new ArrayList<>();
    private final List<ReplicatedCluster> links = new ArrayList<>();

    /** How the replicas run and how clients reach them. */
    enum Transport {
        /** Clients call the replicas' Java API. */
        IN_PROCESS,
        /** Each replica behind its own gRPC server; clients use only its sockets. */
        GRPC
    }

    @AfterEach
    void tearDown() {
        clients.forEach(FallbackClient::close);
        links.forEach(ReplicatedCluster::close);
        if (replicas != null) {
            replicas.close();
        }
    }

    @ParameterizedTest(name = "replicas reached {0}")
    @EnumSource(Transport.class)
    void clientsGossipWhileEveryReplicaIsDownAndTheirHandedBackModelsAreMergedIntoTheCommittedChain(Transport transport) {
        TrainTestSplit split = Mnist10k.load();
        Model template = ModelFactory.builtIn().create("logreg", split.train().featureDim(), split.train().numClasses(), 11);
        Model evaluator = template.copy();
        List<Dataset> parts = Partitioners.parse("dirichlet:0.5").split(split.train(), CLIENTS, 5);
        AggregatorConfig config = AggregatorConfig.defaults(UUID.randomUUID().toString())
                .withUpdatesPerCheckpoint(CLIENTS)
                // Clients wait for their ack before training again, so a full batch forms at once;
                // the interval only flushes stragglers.
                .withCheckpointIntervalMs(1_000)
                .withTimeouts(3_000, 3_000)
                .withElectionTimeoutMs(400, 800);
        replicas = transport == Transport.GRPC
                ? new GrpcReplicas(3, tmp.resolve("replicas"), config, template.params()).startAll()
                : new InProcessReplicas(3, tmp.resolve("replicas"), config, template.params()).startAll();
        replicas.awaitLeader(Duration.ofSeconds(15));

        TrainConfig train = new TrainConfig(1, 10, 32, 0.02, 0.5, 1e-4, 1);
        List<String> ids = IntStream.range(0, CLIENTS).mapToObj(i -> "c" + i).toList();
        for (int i = 0; i < CLIENTS; i++) {
            ReplicatedCluster cluster = replicas.clusterFor(ids.get(i), tmp.resolve(ids.get(i)));
            links.add(cluster);
            FallbackSettings s = FallbackSettings.of(ids.get(i), GrpcReplicas.TASK, "logreg", FALLBACK_TIMEOUT_MS, PROBE_PERIOD_MS,
                    GOSSIP_PERIOD_MS, train, 100 + i, tmp.resolve(ids.get(i)));
            clients.add(FallbackClient.create(s, template, parts.get(i), cluster, ids));
        }
        for (FallbackClient c : clients) {
            clients.forEach(p -> c.learnPeer(p.id(), p.address()));
        }
        clients.forEach(FallbackClient::start);

        // 1. Training with the cluster up.
        ReplicatedAggregator leader = Awaitility.await("12 committed versions").atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> replicas.leader().filter(l -> l.latest().orElseThrow().version() >= 12).orElse(null),
                        l -> l != null);
        CheckpointCommitted beforeOutage = leader.latest().orElseThrow();
        double committedBefore = accuracy(evaluator, replicas.model(beforeOutage.digest()), split.test());
        assertThat(clients).allMatch(c -> c.mode() == HybridState.CONNECTED);

        // 2. Every replica down: the followers first, so the group stops serving when the second
        // one stops (no majority), and no new leader can be elected in between.
        ReplicatedAggregator current = replicas.leader().orElseThrow();
        List<String> followers = replicas.running().stream().map(ReplicatedAggregator::replicaId)
                .filter(id -> !id.equals(current.replicaId())).toList();
        replicas.stop(followers.get(0));
        long majorityLossStartsMs = System.currentTimeMillis();
        replicas.stop(followers.get(1));
        long majorityLostMs = System.currentTimeMillis();
        replicas.stop(current.replicaId());
        Awaitility.await("every client gossiping").atMost(Duration.ofMillis(FALLBACK_TIMEOUT_MS + SWITCH_SLACK_MS + 5_000))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> clients.stream().allMatch(c -> c.mode() == HybridState.FALLBACK));
        List<Long> switchDelaysMs = new ArrayList<>();
        for (FallbackClient c : clients) {
            ModeSwitch first = c.switches().getFirst();
            assertThat(first.to()).isEqualTo(HybridState.FALLBACK);
            assertThat(first.atMs()).as("%s switched only after the group lost its majority", c.id())
                    .isGreaterThanOrEqualTo(majorityLossStartsMs);
            assertThat(first.atMs()).as("%s switched within the timeout (+ slack)", c.id())
                    .isLessThanOrEqualTo(majorityLostMs + FALLBACK_TIMEOUT_MS + SWITCH_SLACK_MS);
            switchDelaysMs.add(first.atMs() - majorityLossStartsMs);
        }
        double startAccuracy = meanAccuracy(evaluator, split.test());
        long outageEndsAt = System.currentTimeMillis() + OUTAGE_MS;
        Awaitility.await().pollDelay(Duration.ofMillis(OUTAGE_MS)).atMost(Duration.ofMillis(OUTAGE_MS + 1_000))
                .until(() -> System.currentTimeMillis() >= outageEndsAt);
        List<Double> endAccuracies = clients.stream()
                .map(c -> accuracy(evaluator, c.currentModel(), split.test())).toList();
        double endAccuracy = endAccuracies.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double bestGossip = endAccuracies.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertThat(clients).allMatch(c -> c.mode() == HybridState.FALLBACK);

        // 3. Replicas back from their data directories.
        long restartMs = System.currentTimeMillis();
        replicas.startAll();
        replicas.awaitLeader(Duration.ofSeconds(20));
        Awaitility.await("every client handed back and reconnected").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> clients.stream().allMatch(c -> c.mode() == HybridState.CONNECTED
                        && c.handBacksAcknowledged() >= 1));
        long reconnectedMs = System.currentTimeMillis() - restartMs;
        CheckpointCommitted lastHandBack = replicas.awaitLeader(Duration.ofSeconds(10)).chain().stream()
                .filter(c -> c.includedUpdateIds().stream().anyMatch(id -> id.contains("/handback-")))
                .reduce((a, b) -> b).orElseThrow();
        long recoveredVersion = lastHandBack.version() + RECOVERY_VERSIONS;
        Awaitility.await(RECOVERY_VERSIONS + " versions after the last hand-back").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> replicas.leader().flatMap(ReplicatedAggregator::latest)
                        .filter(c -> c.version() >= recoveredVersion).isPresent());
        clients.forEach(FallbackClient::close);
        links.forEach(ReplicatedCluster::close);
        List<CheckpointCommitted> chain = awaitStableChain();
        double merged = accuracy(evaluator, replicas.model(lastHandBack.digest()), split.test());
        double recovered = accuracy(evaluator, replicas.model(chain.get((int) recoveredVersion).digest()), split.test());
        long handBacks = chain.stream().flatMap(c -> c.includedUpdateIds().stream())
                .filter(id -> id.contains("/handback-")).count();

        System.out.printf(Locale.ROOT, "gossip fallback (%s): committed v%d accuracy %.4f before the outage; switches %s ms"
                        + " after the majority loss began (stopping the second follower took %d ms; timeout %d);"
                        + " mean client accuracy %.4f -> %.4f during %d ms of outage, gossip models at its end %s;"
                        + " all reconnected %d ms after restart; %d hand-backs, last in v%d (model age %.0f) with"
                        + " accuracy %.4f; v%d %.4f%n",
                transport, beforeOutage.version(), committedBefore, switchDelaysMs, majorityLostMs - majorityLossStartsMs,
                FALLBACK_TIMEOUT_MS, startAccuracy, endAccuracy, OUTAGE_MS,
                endAccuracies.stream().map(a -> String.format(Locale.ROOT, "%.4f", a)).toList(), reconnectedMs,
                handBacks, lastHandBack.version(), CheckpointAggregation.modelAge(lastHandBack), merged,
                recoveredVersion, recovered);
        assertThat(endAccuracy).as("mean client accuracy at the end of the outage").isGreaterThan(startAccuracy);
        assertThat(handBacks).isEqualTo(CLIENTS);
        assertThat(merged).as("checkpoint with the last hand-back vs the best gossip model %.4f", bestGossip)
                .isGreaterThanOrEqualTo(bestGossip - TOLERANCE);
        assertThat(recovered).as("v%d after recovery vs the best gossip model %.4f", recoveredVersion, bestGossip)
                .isGreaterThanOrEqualTo(bestGossip - TOLERANCE);
        replicas.recordFinalChains();
        HistoryChecker.check(replicas.history().events()).requireValid();
    }

    /** Waits until every running replica holds the same chain and it has not grown for 2 s. */
    private List<CheckpointCommitted> awaitStableChain() {
        long[] sinceMs = {0};
        List<List<CheckpointCommitted>> last = new ArrayList<>(List.of(List.of()));
        return Awaitility.await("replicas agree on a chain that no longer grows").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    List<List<CheckpointCommitted>> chains = replicas.running().stream().map(ReplicatedAggregator::chain).toList();
                    if (!chains.stream().allMatch(chains.getFirst()::equals)) {
                        return null;
                    }
                    long now = System.currentTimeMillis();
                    if (!chains.getFirst().equals(last.getFirst())) {
                        last.set(0, chains.getFirst());
                        sinceMs[0] = now;
                        return null;
                    }
                    return now - sinceMs[0] >= 2_000 ? chains.getFirst() : null;
                }, c -> c != null);
    }

    private double meanAccuracy(Model evaluator, Dataset test) {
        return clients.stream().mapToDouble(c -> accuracy(evaluator, c.currentModel(), test)).average().orElseThrow();
    }

    private static double accuracy(Model evaluator, ParamVector params, Dataset test) {
        evaluator.setParams(params);
        return evaluator.evaluate(test).accuracy();
    }
}
