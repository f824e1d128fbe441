package io.starling.core.federated;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.aggregate.FedAvg;
import io.starling.core.data.Dataset;
import io.starling.core.data.Mnist10k;
import io.starling.core.data.TrainTestSplit;
import io.starling.core.data.partition.Partitioners;
import io.starling.core.model.Model;
import io.starling.core.model.ModelFactory;
import io.starling.core.model.TrainConfig;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 7's federated acceptance test: the built-in LeNet-5 trained by FedAvg over 20 clients with
 * Dirichlet(0.5) label skew on mnist10k reaches 95% test accuracy.
 *
 * <p>Half the clients per round (C = 0.5), one local epoch (E = 1) of SGD, learning rate 0.01,
 * momentum 0.9, weight decay 1e-4, batch 32, 40 rounds. Measured: 0.95 first reached in round 23 (162 s), 0.9665 best (round 39),
 * 284 s for all 40 rounds on the shared machine (load average about 36 on 2 cores), 47 s on a quiet one.
 * Tagged {@code slow} (about 15 centralised epochs' worth of CNN steps) but part of the default
 * {@code verify}: it is issue 7's acceptance test.
 */
@Tag("slow")
class CnnFederatedMnistTest {
    private static final int CLIENTS = 20;
    private static final long SEED = 2026;
    private static final TrainConfig LOCAL = TrainConfig.defaults().withEpochs(1).withBatchSize(32)
            .withLearningRate(0.01).withMomentum(0.9).withWeightDecay(1e-4);

    @Test
    void fedAvgOfLenet5OverTwentyDirichletClientsReachesNinetyFivePercent() {
        TrainTestSplit data = Mnist10k.load();
        List<Dataset> clients = Partitioners.parse("dirichlet:0.5").split(data.train(), CLIENTS, SEED);
        Model cnn = ModelFactory.builtIn().create("cnn-lenet5", 784, 10, SEED);
        SyncFederatedLoop loop = new SyncFederatedLoop(new FederatedSetup(cnn, clients, data.test()), new FedAvg(),
                new SyncConfig(40, 0.5, LOCAL, SEED));
        long start = System.nanoTime();

        FederatedHistory history = loop.run(r -> System.out.printf("round %d acc %.4f loss %.4f at %.0f s%n",
                r.step(), r.testAccuracy(), r.testLoss(), (System.nanoTime() - start) / 1e9));

        assertThat(history.firstReaching(0.95)).as("best accuracy %.4f", history.bestAccuracy()).isPresent();
    }
}
