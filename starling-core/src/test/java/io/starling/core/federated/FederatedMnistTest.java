package io.starling.core.federated;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.aggregate.Contribution;
import io.starling.core.aggregate.FedAsync;
import io.starling.core.aggregate.FedAvg;
import io.starling.core.aggregate.StalenessFunction;
import io.starling.core.data.Dataset;
import io.starling.core.data.Mnist10k;
import io.starling.core.data.TrainTestSplit;
import io.starling.core.data.partition.Partitioners;
import io.starling.core.model.Model;
import io.starling.core.model.ModelFactory;
import io.starling.core.model.TrainConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 3's federated acceptance tests: 20 clients with Dirichlet(0.5) label skew over mnist10k.
 *
 * <p>Model: MLP 784-64-10 (50,890 parameters). Local training: E = 1 epoch, batch 32, SGD
 * learning rate 0.05 with momentum 0.9 and weight decay 1e-4 (the built-in defaults). Chosen so
 * each test stays well under a minute on one core: 30 rounds x 10 clients x ~400 examples is
 * 120,000 example-passes, like 15 centralised epochs of the 8,000 training digits.
 */
class FederatedMnistTest {
    private static final int CLIENTS = 20;
    private static final long SEED = 2026;
    private static final TrainConfig LOCAL = TrainConfig.defaults().withEpochs(1).withBatchSize(32)
            .withLearningRate(0.05).withMomentum(0.9).withWeightDecay(1e-4);

    private static FederatedSetup setup() {
        TrainTestSplit data = Mnist10k.load();
        List<Dataset> clients = Partitioners.parse("dirichlet:0.5").split(data.train(), CLIENTS, SEED);
        Model model = ModelFactory.builtIn().create("mlp:64", 784, 10, SEED);
        return new FederatedSetup(model, clients, data.test());
    }

    @Test
    void fedAvgWithHalfTheClientsPerRoundReachesNinetyPercentWithinThirtyRounds() {
        SyncFederatedLoop loop = new SyncFederatedLoop(setup(), new FedAvg(), new SyncConfig(30, 0.5, LOCAL, SEED));

        FederatedHistory history = loop.run(r -> System.out.printf("fedavg round %d acc %.4f loss %.4f%n",
                r.step(), r.testAccuracy(), r.testLoss()));

        assertThat(history.reports()).hasSize(30);
        assertThat(history.firstReaching(0.90)).as("best accuracy %.4f", history.bestAccuracy()).isPresent();
    }

    @Test
    void fedAsyncReachesNinetyPercentWithinThreeHundredClientUpdates() {
        AsyncConfig config = new AsyncConfig(300, 10, 1, 10, Contribution.Form.WEIGHTS, LOCAL, SEED);
        AsyncFederatedLoop loop = new AsyncFederatedLoop(setup(),
                new FedAsync(0.6, new StalenessFunction.Polynomial(0.5)), config);

        FederatedHistory history = loop.run(r -> System.out.printf("fedasync updates %d acc %.4f staleness %.2f%n",
                r.clientUpdates(), r.testAccuracy(), r.meanStaleness()));

        assertThat(history.last().clientUpdates()).isEqualTo(300);
        assertThat(history.firstReaching(0.90)).as("best accuracy %.4f", history.bestAccuracy()).isPresent();
    }
}
