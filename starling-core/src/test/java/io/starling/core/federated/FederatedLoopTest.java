package io.starling.core.federated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.core.aggregate.AggregationRule;
import io.starling.core.aggregate.Contribution;
import io.starling.core.aggregate.FedAsync;
import io.starling.core.aggregate.FedAvg;
import io.starling.core.aggregate.FedBuff;
import io.starling.core.aggregate.StalenessFunction;
import io.starling.core.data.Dataset;
import io.starling.core.data.Mnist10k;
import io.starling.core.data.TrainTestSplit;
import io.starling.core.data.partition.Partitioners;
import io.starling.core.model.ModelFactory;
import io.starling.core.model.TrainConfig;
import io.starling.core.param.ParamVector;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The loops' bookkeeping: sampling, staleness, buffering, determinism, validation. Small data, logreg. */
class FederatedLoopTest {
    private static final TrainConfig LOCAL = TrainConfig.defaults().withMaxSteps(5).withBatchSize(16);

    /** Wraps a rule and remembers every call's contributions. */
    private static final class RecordingRule implements AggregationRule {
        final AggregationRule inner;
        final List<List<Contribution>> calls = new ArrayList<>();

        RecordingRule(AggregationRule inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public ParamVector aggregate(ParamVector global, List<Contribution> contributions) {
            calls.add(List.copyOf(contributions));
            return inner.aggregate(global, contributions);
        }
    }

    private static FederatedSetup setup(int clients) {
        TrainTestSplit data = Mnist10k.load();
        Dataset small = data.train().subset(IntStream.range(0, 1000).toArray());
        Dataset test = data.test().subset(IntStream.range(0, 200).toArray());
        return new FederatedSetup(ModelFactory.builtIn().create("logreg", 784, 10, 7),
                Partitioners.parse("dirichlet:0.5").split(small, clients, 7), test);
    }

    @Test
    void eachRoundAggregatesTheFractionCOfTheClients() {
        RecordingRule rule = new RecordingRule(new FedAvg());
        FederatedHistory history = new SyncFederatedLoop(setup(10), rule, new SyncConfig(3, 0.3, LOCAL, 1)).run();

        assertThat(rule.calls).hasSize(3).allSatisfy(call -> assertThat(call).hasSize(3));
        assertThat(history.reports()).extracting(RoundReport::clientUpdates).containsExactly(3L, 6L, 9L);
    }

    @Test
    void aRoundNeverSamplesTheSameClientTwice() {
        RecordingRule rule = new RecordingRule(new FedAvg());
        new SyncFederatedLoop(setup(6), rule, new SyncConfig(4, 1.0, LOCAL, 3)).run();

        for (List<Contribution> call : rule.calls) {
            assertThat(call.stream().mapToDouble(Contribution::samples).sum())
                    .as("all six clients' samples, each once").isEqualTo(1000);
        }
    }

    @Test
    void theSameSeedReplaysTheSameHistory() {
        SyncConfig config = new SyncConfig(3, 0.5, LOCAL, 11);
        FederatedHistory a = new SyncFederatedLoop(setup(8), new FedAvg(), config).run();
        FederatedHistory b = new SyncFederatedLoop(setup(8), new FedAvg(), config).run();

        assertThat(a).isEqualTo(b);
    }

    @Test
    void theLoopsDoNotModifyTheInitialModel() {
        FederatedSetup setup = setup(4);
        ParamVector before = setup.model().params();
        new SyncFederatedLoop(setup, new FedAvg(), new SyncConfig(2, 1.0, LOCAL, 1)).run();

        assertThat(setup.model().params().contentEquals(before)).isTrue();
    }

    @Test
    void asyncUpdatesWithOneClientAtATimeAreNeverStale() {
        RecordingRule rule = new RecordingRule(new FedAsync(0.5, new StalenessFunction.Constant()));
        new AsyncFederatedLoop(setup(5), rule, new AsyncConfig(20, 1, 1, 5, Contribution.Form.WEIGHTS, LOCAL, 1)).run();

        assertThat(rule.calls).hasSize(20)
                .allSatisfy(call -> assertThat(call).singleElement().extracting(Contribution::staleness).isEqualTo(0L));
    }

    @Test
    void asyncStalenessCountsTheAggregationsSinceTheClientStarted() {
        RecordingRule rule = new RecordingRule(new FedAsync(0.5, new StalenessFunction.Constant()));
        int concurrency = 4;
        FederatedHistory history = new AsyncFederatedLoop(setup(8), rule,
                new AsyncConfig(200, concurrency, 1, 200, Contribution.Form.WEIGHTS, LOCAL, 5)).run();

        double mean = rule.calls.stream().mapToLong(c -> c.get(0).staleness()).average().orElseThrow();
        // Each step finishes one of c in-flight clients uniformly, so a client's lifetime is geometric
        // with mean c steps and its staleness has mean c - 1 aggregations.
        assertThat(mean).isBetween(0.7 * (concurrency - 1), 1.3 * (concurrency - 1));
        assertThat(history.last().meanStaleness()).isEqualTo(mean);
        assertThat(rule.calls.get(0).get(0).staleness()).isZero();
    }

    @Test
    void bufferedAsyncAggregatesEveryKDeltasAndFlushesTheRestAtTheEnd() {
        RecordingRule rule = new RecordingRule(new FedBuff(5, 1.0, new StalenessFunction.Polynomial(0.5)));
        FederatedHistory history = new AsyncFederatedLoop(setup(8), rule,
                new AsyncConfig(23, 3, 5, 10, Contribution.Form.DELTA, LOCAL, 9)).run();

        assertThat(rule.calls).extracting(List::size).containsExactly(5, 5, 5, 5, 3);
        assertThat(rule.calls).flatMap(c -> c).extracting(Contribution::form).containsOnly(Contribution.Form.DELTA);
        assertThat(history.reports()).extracting(RoundReport::clientUpdates).containsExactly(10L, 20L, 23L);
    }

    @Test
    void asyncRejectsMoreConcurrentClientsThanExist() {
        assertThatThrownBy(() -> new AsyncFederatedLoop(setup(3), new FedAvg(),
                new AsyncConfig(10, 4, 1, 1, Contribution.Form.WEIGHTS, LOCAL, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("concurrency 4");
    }

    @Test
    void aClientWithoutDataIsRejectedUpFront() {
        FederatedSetup ok = setup(3);
        List<Dataset> clients = new ArrayList<>(ok.clients());
        clients.add(ok.test().subset(new int[0]));

        assertThatThrownBy(() -> new FederatedSetup(ok.model(), clients, ok.test()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("client 3 has no training examples");
    }
}
