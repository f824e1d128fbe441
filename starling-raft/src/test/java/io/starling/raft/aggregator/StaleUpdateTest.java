package io.starling.raft.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.core.aggregate.DoublyWeightedAveraging;
import io.starling.core.param.ParamVector;
import io.starling.raft.blob.DirectoryBlobStore;
import io.starling.raft.history.HistoryChecker;
import io.starling.raft.log.CheckpointCommitted;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stale updates through a real three-replica Ratis group: a client that trained from an old
 * version adds its own progress to the current model instead of dragging the model back to its
 * base, an update beyond {@code maxStaleness} is refused with what to do, and any replica can
 * recompute a committed checkpoint from the chain and the blobs it holds.
 */
@Timeout(90)
class StaleUpdateTest {
    @TempDir
    Path tmp;

    private LocalCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** One checkpoint per update, combined by FedAvg (the rule under which full models dragged back). */
    private static AggregatorConfig oneUpdatePerCheckpoint(long maxStaleness) {
        return LocalCluster.fastConfig().withRule("fedavg").withUpdatesPerCheckpoint(1).withMaxStaleness(maxStaleness);
    }

    private static ParamVector filled(float value) {
        float[] w = new float[LocalCluster.DIM];
        Arrays.fill(w, value);
        return ParamVector.wrap(w);
    }

    /** The honest client trains {@code rounds} times from the latest model, each adding +1; returns the last ack. */
    private static UpdateAck trainHonestly(ReplicatedAggregator leader, AggregatorClient client, int rounds)
            throws InterruptedException {
        UpdateAck ack = null;
        for (int round = 0; round < rounds; round++) {
            CheckpointCommitted base = leader.latest().orElseThrow();
            ParamVector trained = leader.latestModel().orElseThrow().plus(filled(1));
            ack = client.submitUntilAcked(new ClientUpdate("honest/from-v" + base.version(), "honest", base.version(),
                    trained, 10, 0.5),
                    10_000);
        }
        return ack;
    }

    @Test
    void aStaleUpdateAddsItsOwnProgressInsteadOfDraggingTheModelBackToItsBase() throws Exception {
        cluster = new LocalCluster(3, tmp, oneUpdatePerCheckpoint(10)).startAll();
        ReplicatedAggregator leader = cluster.awaitLeader(LocalCluster.LEADER_WAIT);
        AggregatorClient honest = cluster.client("honest");
        trainHonestly(leader, honest, 1);
        long staleBase = leader.latest().orElseThrow().version();
        ParamVector staleBaseModel = leader.latestModel().orElseThrow();
        trainHonestly(leader, honest, 5);
        ParamVector honestModel = leader.latestModel().orElseThrow();

        // Trained from the old base, the stale client moves its copy by +0.5.
        UpdateAck ack = cluster.client("stale").submitUntilAcked(new ClientUpdate("stale/0", "stale", staleBase,
                staleBaseModel.plus(filled(0.5f)), 10, 0.5), 10_000);

        ParamVector committed = leader.latestModel().orElseThrow();
        assertThat(leader.latest().orElseThrow().version()).isEqualTo(ack.version());
        assertThat(honestModel.get(0)).isEqualTo(6f);
        assertThat(committed.distance(honestModel.plus(filled(0.5f)))).isLessThan(1e-5);
        // Averaging the full model would have committed its base plus 0.5, 5 behind the honest model.
        assertThat(committed.distance(honestModel)).isLessThan(staleBaseModel.plus(filled(0.5f)).distance(honestModel) / 5);
        assertThat(leader.latest().orElseThrow().metrics()).containsEntry(CheckpointAggregation.MEAN_STALENESS_METRIC, 5.0);
    }

    @Test
    void anUpdateBeyondMaxStalenessIsRefusedAndSucceedsOnceRetrainedOnTheLatestModel() throws Exception {
        cluster = new LocalCluster(3, tmp, oneUpdatePerCheckpoint(2)).startAll();
        ReplicatedAggregator leader = cluster.awaitLeader(LocalCluster.LEADER_WAIT);
        trainHonestly(leader, cluster.client("honest"), 4);
        AggregatorClient late = cluster.client("late");

        assertThatThrownBy(() -> late.submitUntilAcked(new ClientUpdate("late/0", "late", 0, filled(9), 10, 0.5), 10_000))
                .isInstanceOfSatisfying(UpdateRejectedException.class, e -> assertThat(e.isStale()).isTrue())
                .hasMessageContaining("4 versions behind")
                .hasMessageContaining("maxStaleness 2")
                .hasMessageContaining("fetch the latest model");

        CheckpointCommitted latest = leader.latest().orElseThrow();
        UpdateAck ack = late.submitUntilAcked(new ClientUpdate("late/1", "late", latest.version(),
                leader.latestModel().orElseThrow(), 10, 0.5), 10_000);
        assertThat(ack.version()).isEqualTo(latest.version() + 1);
        assertThat(leader.chain().stream().flatMap(c -> c.includedUpdateIds().stream())).doesNotContain("late/0");
        cluster.awaitConverged(ack.version(), Duration.ofSeconds(20));
        cluster.recordFinalChains();
        HistoryChecker.check(cluster.history.events()).requireValid();
    }

    @Test
    void aFollowerRecomputesACheckpointWithStaleUpdatesFromTheChainAndItsOwnBlobsToTheSameDigest() throws Exception {
        cluster = new LocalCluster(3, tmp, LocalCluster.fastConfig().withRule("fedbuff:k=3,lr=1,staleness=poly:0.5"))
                .startAll();
        ReplicatedAggregator leader = cluster.awaitLeader(LocalCluster.LEADER_WAIT);
        AggregatorClient client = cluster.client("c");
        Map<String, ClientUpdate> sent = new HashMap<>();
        long v0 = leader.latest().orElseThrow().version();
        for (int round = 0; round < 3; round++) {
            ClientUpdate u = new ClientUpdate("c/" + round, "c", v0, filled(round + 1), 10 + round, 0.5);
            sent.put(u.updateId(), u);
            client.submitUntilAcked(u, 10_000);
        }
        ParamVector v0Model = filled(0);
        CheckpointCommitted mid = leader.latest().orElseThrow();
        List<ClientUpdate> mixed = List.of(
                new ClientUpdate("d/0", "d", mid.version(), leader.latestModel().orElseThrow().plus(filled(1)), 20, 0.4),
                new ClientUpdate("d/1", "d", v0, v0Model.plus(filled(-2)), 30, 0.6),
                new ClientUpdate("d/2", "d", mid.version(), leader.latestModel().orElseThrow().plus(filled(3)), 40, 0.2));
        mixed.forEach(u -> sent.put(u.updateId(), u));
        var acks = mixed.stream().map(leader::submit).toList();
        for (var a : acks) {
            a.get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        List<CheckpointCommitted> chain = cluster.awaitConverged(mid.version() + 1, Duration.ofSeconds(20));
        String follower = cluster.running().stream().map(ReplicatedAggregator::replicaId)
                .filter(id -> !id.equals(leader.replicaId())).findFirst().orElseThrow();
        DirectoryBlobStore followerBlobs = new DirectoryBlobStore(tmp.resolve(follower).resolve("blobs"),
                cluster.config.maxModelBytes());
        Awaitility.await("every checkpoint's blob on " + follower).atMost(Duration.ofSeconds(10))
                .until(() -> chain.stream().allMatch(c -> followerBlobs.contains(c.digest())));

        for (CheckpointCommitted c : chain.subList(1, chain.size())) {
            CheckpointCommitted parent = chain.get((int) c.parentVersion());
            List<ClientUpdate> batch = c.includedUpdateIds().stream().map(sent::get).toList();
            Map<Long, ParamVector> bases = new HashMap<>();
            for (ClientUpdate u : batch) {
                bases.put(u.baseVersion(), load(followerBlobs, chain.get((int) u.baseVersion()).digest()));
            }
            var recomputed = CheckpointAggregation.aggregate(cluster.config.rule(), new DoublyWeightedAveraging(0.5),
                    cluster.config.stalenessBound(), parent, load(followerBlobs, parent.digest()), bases, batch);
            assertThat(recomputed.model().digest()).as("checkpoint %d", c.version()).isEqualTo(c.digest());
            assertThat(recomputed.metrics()).isEqualTo(c.metrics());
        }
        assertThat(chain.getLast().metrics().get(CheckpointAggregation.MEAN_STALENESS_METRIC)).isPositive();
    }

    private static ParamVector load(DirectoryBlobStore store, String digest) {
        Optional<byte[]> bytes = store.get(digest);
        assertThat(bytes).as("blob %s on the follower", digest).isPresent();
        return ParamVector.fromBytes(bytes.get());
    }
}
