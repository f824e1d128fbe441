package io.starling.core.federated;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.aggregate.AggregationRule;
import io.starling.core.aggregate.AggregationRules;
import io.starling.core.data.Dataset;
import io.starling.core.data.Mnist10k;
import io.starling.core.data.TrainTestSplit;
import io.starling.core.data.partition.Partitioners;
import io.starling.core.model.ModelFactory;
import io.starling.core.model.TrainConfig;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The robust rules earn their keep end to end: 4 of 20 clients (Dirichlet(0.5) over mnist10k,
 * every client in every round) submit sign-flipped, 4x amplified updates. Plain FedAvg is
 * destroyed; median, trimmed mean (beta = 0.2 trims 4 per side), Multi-Krum and Krum (f = 4,
 * n = 20 >= 2f + 3) and centered clipping keep learning. MLP 784-64-10, E = 1, 10 rounds.
 *
 * <p>Measured with these seeds: FedAvg stays at 0.11; median 0.857, trimmed mean 0.856,
 * Multi-Krum 0.871, centered clipping 0.864 and Krum 0.785 after 10 rounds (Krum keeps a single
 * client's model per round, so it learns slowest on non-IID data). The bar is 0.75 for all.
 */
class ByzantineFederatedTest {
    private static final long SEED = 99;
    private static final Adversary SIGN_FLIPPERS = new Adversary(Set.of(0, 1, 2, 3), new ByzantineAttack.SignFlip(4));

    private static FederatedHistory run(AggregationRule rule) {
        TrainTestSplit data = Mnist10k.load();
        List<Dataset> clients = Partitioners.parse("dirichlet:0.5").split(data.train(), 20, SEED);
        FederatedSetup setup = new FederatedSetup(ModelFactory.builtIn().create("mlp:64", 784, 10, SEED),
                clients, data.test());
        SyncConfig config = new SyncConfig(10, 1.0, TrainConfig.defaults().withEpochs(1), SEED);
        return new SyncFederatedLoop(setup, rule, config, SIGN_FLIPPERS).run(r -> System.out.printf(
                "%s round %d acc %.4f%n", rule.spec(), r.step(), r.testAccuracy()));
    }

    @Test
    void fedAvgIsDestroyedBySignFlippingClients() {
        assertThat(run(AggregationRules.parse("fedavg")).bestAccuracy()).isLessThan(0.5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"median", "trimmed-mean:0.2", "multi-krum:f=4,m=12", "krum:f=4",
        "centered-clipping:tau=1,iters=3"})
    void robustRulesKeepLearningDespiteSignFlippingClients(String spec) {
        assertThat(run(AggregationRules.parse(spec)).bestAccuracy()).isGreaterThan(0.75);
    }
}
