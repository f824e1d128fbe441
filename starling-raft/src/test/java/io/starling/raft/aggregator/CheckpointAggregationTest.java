package io.starling.raft.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.starling.core.aggregate.AggregationRule;
import io.starling.core.aggregate.Contribution;
import io.starling.core.aggregate.DoublyWeightedAveraging;
import io.starling.core.aggregate.FedAvg;
import io.starling.core.aggregate.StalenessBound;
import io.starling.core.param.ParamVector;
import io.starling.raft.log.CheckpointCommitted;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.FloatRange;
import org.junit.jupiter.api.Test;

class CheckpointAggregationTest {
    private static final DoublyWeightedAveraging HALF = new DoublyWeightedAveraging(0.5);
    private static final String DIGEST = "0".repeat(64);
    private static final StalenessBound UNBOUNDED = new StalenessBound(Long.MAX_VALUE);

    private static CheckpointCommitted parent(long version, double age) {
        TreeMap<String, Double> metrics = new TreeMap<>();
        if (version > 0) {
            metrics.put(CheckpointAggregation.AGE_METRIC, age);
        }
        return new CheckpointCommitted(version, version - 1, DIGEST, 8, List.of(), "r0", metrics);
    }

    private static ClientUpdate trained(String id, float value, double samples) {
        return new ClientUpdate(id, "c", 0, ParamVector.of(value, value), samples, 0.5);
    }

    private static ClientUpdate handBack(String id, float value, double age) {
        return ClientUpdate.handBack(id, "c", 0, ParamVector.of(value, value), 100, age);
    }

    /** Aggregates with every base version's model equal to {@code global} (bases do not matter to the test). */
    private static CheckpointAggregation.Next aggregate(AggregationRule rule, DoublyWeightedAveraging mergeBack,
                                                        ParamVector global, CheckpointCommitted parent,
                                                        List<ClientUpdate> batch) {
        Map<Long, ParamVector> bases = new HashMap<>();
        batch.forEach(u -> bases.put(u.baseVersion(), global));
        return CheckpointAggregation.aggregate(rule, mergeBack, UNBOUNDED, parent, global, bases, batch);
    }

    @Test
    void genesisHasAgeZero() {
        assertThat(CheckpointAggregation.modelAge(CheckpointCommitted.genesis(DIGEST, 8, "r0"))).isZero();
    }

    @Test
    void trainedUpdatesAreCombinedByTheRuleAndAddOneAgeEach() {
        var next = aggregate(new FedAvg(), HALF, ParamVector.of(0, 0), parent(4, 10), List.of(trained("a", 1, 10), trained("b", 4, 30)));

        assertThat(next.model().toArray()).containsExactly(3.25f, 3.25f);
        assertThat(next.age()).isEqualTo(12);
        assertThat(next.metrics()).containsEntry(CheckpointAggregation.AGE_METRIC, 12.0)
                .containsEntry("samples", 40.0).doesNotContainKey(CheckpointAggregation.HAND_BACKS_METRIC);
    }

    @Test
    void aHandBackIsWeightedByTrustAndAgeAgainstTheServerModel() {
        // w = (0.5*3*0 + 0.5*1*1) / (0.5*3 + 0.5*1) = 0.25; new age = max(3, 1)
        var next = aggregate(new FedAvg(), HALF, ParamVector.of(0, 0), parent(2, 3), List.of(handBack("h", 1, 1)));

        assertThat(next.model().get(0)).isCloseTo(0.25f, within(1e-6f));
        assertThat(next.age()).isEqualTo(3);
        assertThat(next.metrics()).containsEntry(CheckpointAggregation.HAND_BACKS_METRIC, 1.0)
                .doesNotContainKeys("samples", "meanTrainLoss");
    }

    @Test
    void anOlderServerModelWeighsLessThanAnOlderGossipModel() {
        var next = aggregate(new FedAvg(), HALF, ParamVector.of(0, 0), parent(2, 1), List.of(handBack("h", 1, 9)));

        assertThat(next.model().get(0)).isCloseTo(0.9f, within(1e-6f));
        assertThat(next.age()).isEqualTo(9);
    }

    @Test
    void handBacksAreMergedWithTheResultOfTheTrainedUpdatesInTheSameBatch() {
        ParamVector global = ParamVector.of(0, 0);
        var next = aggregate(new FedAvg(), HALF, global, parent(5, 6), List.of(trained("a", 2, 10), handBack("h1", 10, 4), handBack("h2", 6, 12)));

        ParamVector afterRule = new FedAvg().aggregate(global, List.of(Contribution.ofClient(ParamVector.of(2, 2), 10)));
        ParamVector expected = HALF.aggregate(afterRule, List.of(Contribution.ofServer(afterRule, 7),
                Contribution.ofPeer(ParamVector.of(10, 10), 4), Contribution.ofPeer(ParamVector.of(6, 6), 12)));
        assertThat(next.model().toArray()).containsExactly(expected.toArray());
        assertThat(next.age()).isEqualTo(12);
        assertThat(next.metrics()).contains(Map.entry("updates", 3.0), Map.entry("samples", 10.0),
                Map.entry(CheckpointAggregation.HAND_BACKS_METRIC, 2.0));
    }

    @Test
    void fullTrustInTheServerIgnoresTheHandBackButStillTakesItsAge() {
        var next = aggregate(new FedAvg(), new DoublyWeightedAveraging(1), ParamVector.of(3, 3), parent(1, 2), List.of(handBack("h", 7, 20)));

        assertThat(next.model().toArray()).containsExactly(3f, 3f);
        assertThat(next.age()).isEqualTo(20);
    }

    @Property(tries = 200)
    void theMergedModelLiesBetweenServerAndGossipModelAndTakesTheLargerAge(
            @ForAll @FloatRange(min = -10, max = 10) float server, @ForAll @FloatRange(min = -10, max = 10) float gossip,
            @ForAll @DoubleRange(min = 0, max = 1e4) double serverAge, @ForAll @DoubleRange(min = 0, max = 1e4) double gossipAge,
            @ForAll @DoubleRange(min = 0, max = 1) double lambda) {
        var next = aggregate(new FedAvg(), new DoublyWeightedAveraging(lambda), ParamVector.of(server),
                parent(3, serverAge), List.of(ClientUpdate.handBack("h", "c", 0,
                        ParamVector.of(gossip), 1, gossipAge)));

        float lo = Math.min(server, gossip);
        float hi = Math.max(server, gossip);
        assertThat(next.model().get(0)).isBetween(lo - 1e-4f, hi + 1e-4f);
        assertThat(next.age()).isEqualTo(Math.max(serverAge, gossipAge));
    }
}
