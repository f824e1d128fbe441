package io.starling.node.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.param.ParamVector;
import io.starling.raft.aggregator.AggregatorConfig;
import io.starling.raft.aggregator.ReplicatedAggregator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a fallback client's probe sees of a real Ratis group. */
@Timeout(60)
class ReplicatedClusterTest {
    @TempDir
    Path tmp;

    private ReplicaGroup replicas;
    private ReplicatedCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
        if (replicas != null) {
            replicas.close();
        }
    }

    private void startGroup(GossipFallbackTest.Transport transport) {
        AggregatorConfig config = AggregatorConfig.defaults(UUID.randomUUID().toString())
                .withCheckpointIntervalMs(100).withTimeouts(3_000, 3_000).withElectionTimeoutMs(400, 800);
        replicas = transport == GossipFallbackTest.Transport.GRPC
                ? new GrpcReplicas(3, tmp.resolve("replicas"), config, ParamVector.zeros(8)).startAll()
                : new InProcessReplicas(3, tmp.resolve("replicas"), config, ParamVector.zeros(8)).startAll();
        replicas.awaitLeader(Duration.ofSeconds(15));
        cluster = replicas.clusterFor("c0", tmp.resolve("c0"));
    }

    @ParameterizedTest(name = "replicas reached {0}")
    @EnumSource(GossipFallbackTest.Transport.class)
    void aProbeIsAnsweredWithTheServingLeadersCommittedModelAndAge(GossipFallbackTest.Transport transport)
            throws Exception {
        startGroup(transport);
        cluster.submit(io.starling.raft.aggregator.ClientUpdate.handBack("c0/handback-1", "c0", 0,
                ParamVector.of(1, 1, 1, 1, 1, 1, 1, 1), 10, 4), 10_000).get(15, TimeUnit.SECONDS);

        ServedModel served = cluster.servingModel().get(10, TimeUnit.SECONDS).orElseThrow();

        assertThat(served.version()).isEqualTo(1);
        assertThat(served.age()).isEqualTo(4);
        assertThat(served.params().get(0)).isEqualTo(1f); // genesis has age 0: the hand-back takes all weight
    }

    @ParameterizedTest(name = "replicas reached {0}")
    @EnumSource(GossipFallbackTest.Transport.class)
    void aLeaderThatLostItsMajorityStopsAnsweringProbes(GossipFallbackTest.Transport transport) {
        startGroup(transport);
        ReplicatedAggregator leader = replicas.leader().orElseThrow();
        replicas.running().stream().filter(r -> r != leader).forEach(r -> replicas.stop(r.replicaId()));

        long lostAt = System.nanoTime();
        Awaitility.await("the lone leader steps down").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> cluster.servingModel().get(5, TimeUnit.SECONDS), Optional::isEmpty);
        System.out.printf("%s: a leader without a majority stopped answering probes after %d ms%n", transport,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lostAt));
    }
}
