package io.starling.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.aggregate.AggregationRule;
import io.starling.core.aggregate.AggregationRules;
import io.starling.core.data.Dataset;
import io.starling.core.model.Model;
import io.starling.core.model.ModelFactory;
import io.starling.core.model.TrainConfig;
import io.starling.core.param.ParamVector;
import io.starling.protocol.async.AsyncConfig;
import io.starling.protocol.async.AsyncServer;
import io.starling.protocol.client.AggregatorClient;
import io.starling.protocol.client.ClientConfig;
import io.starling.protocol.gossip.GossipConfig;
import io.starling.protocol.gossip.GossipNode;
import io.starling.protocol.hybrid.HybridClient;
import io.starling.protocol.hybrid.HybridConfig;
import io.starling.protocol.sampling.CyclonConfig;
import io.starling.protocol.sync.SyncConfig;
import io.starling.protocol.sync.SyncServer;
import io.starling.protocol.testkit.Blobs;
import io.starling.protocol.testkit.InMemoryNetwork;
import io.starling.protocol.testkit.ModelTrainer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every protocol, driven through its real path with the built-in logistic regression on skewed
 * (non-IID) client data, ends with a model that classifies held-out data well.
 */
class LearningWithLogisticRegressionTest {
    static final String TASK = "blobs";
    static final NodeId SERVER = NodeId.of("server");
    static final int CLIENTS = 8;
    static final TrainConfig TRAIN = TrainConfig.defaults().withBatchSize(16).withLearningRate(0.1).withMomentum(0);

    final Model template = ModelFactory.builtIn().create("logreg", Blobs.FEATURES, Blobs.CLASSES, 1);
    final int dim = template.paramCount();
    final ParamVector initial = template.params();
    final ModelTrainer trainer = new ModelTrainer(template);
    final InMemoryNetwork net = new InMemoryNetwork(trainer, 10);
    final Dataset test = Blobs.sample(600, 0, 0, 99);
    final List<NodeId> clients = new ArrayList<>();

    LearningWithLogisticRegressionTest() {
        net.setDefaultTrainingMs(50);
        for (int i = 0; i < CLIENTS; i++) {
            NodeId id = NodeId.of("c" + i);
            clients.add(id);
            trainer.data(id, Blobs.sample(60, i % Blobs.CLASSES, 0.8, i));
        }
    }

    double accuracy(ParamVector params) {
        Model m = template.copy();
        m.setParams(params);
        return m.evaluate(test).accuracy();
    }

    @Test
    void synchronousFedAvgLearnsTheTask() {
        assertThat(accuracy(initial)).isLessThan(0.7);
        SyncServer server = net.add(new SyncServer(SERVER, new SyncConfig(TASK, dim, 0.5, 4, 2, 400), initial,
                AggregationRules.parse("fedavg"), SplittableRng.seeded(1), clients));
        for (NodeId id : clients) {
            net.add(new AggregatorClient(id, new ClientConfig(TASK, SERVER, dim, TRAIN, 0), SplittableRng.seeded(id.hashCode())));
        }
        net.startAll();
        net.runUntil(5_000);
        assertThat(server.version()).isGreaterThan(20);
        assertThat(accuracy(server.globalModel())).isGreaterThan(0.9);
    }

    @Test
    void fedBuffLearnsTheTask() {
        AggregationRule rule = AggregationRules.parse("fedbuff:k=3,lr=1");
        AsyncServer server = net.add(new AsyncServer(SERVER, AsyncConfig.forRule(TASK, dim, rule, 8), initial, rule));
        for (NodeId id : clients) {
            net.setTrainingMs(id, 30 + 15L * clients.indexOf(id));
            net.add(new AggregatorClient(id, new ClientConfig(TASK, SERVER, dim, TRAIN, 1_000), SplittableRng.seeded(id.hashCode())));
        }
        net.startAll();
        net.runUntil(5_000);
        assertThat(accuracy(server.globalModel())).isGreaterThan(0.9);
    }

    @Test
    void gossipLearningLearnsTheTaskOnEveryNode() {
        List<GossipNode> nodes = new ArrayList<>();
        SplittableRng root = SplittableRng.seeded(3);
        for (NodeId id : clients) {
            nodes.add(net.add(new GossipNode(id, new GossipConfig(TASK, dim, 100, TRAIN, new CyclonConfig(4, 2, 300)),
                    initial, AggregationRules.parse("doubly-weighted:lambda=0.5"), root.split(), clients)));
        }
        net.startAll();
        net.runUntil(10_000);
        for (GossipNode node : nodes) {
            assertThat(accuracy(node.model())).as(node.id().value()).isGreaterThan(0.85);
        }
    }

    @Test
    void hybridKeepsImprovingThroughAnAggregatorOutageAndTheMergedModelIsGood() {
        AggregationRule rule = AggregationRules.parse("fedasync:alpha=0.5");
        AsyncServer server = net.add(new AsyncServer(SERVER, AsyncConfig.forRule(TASK, dim, rule, 8), initial, rule,
                AggregationRules.parse("doubly-weighted:lambda=0.5")));
        HybridConfig config = new HybridConfig(new ClientConfig(TASK, SERVER, dim, TRAIN, 300),
                new GossipConfig(TASK, dim, 100, TRAIN, new CyclonConfig(4, 2, 300)), 300);
        SplittableRng root = SplittableRng.seeded(4);
        List<HybridClient> hybrids = new ArrayList<>();
        for (NodeId id : clients) {
            hybrids.add(net.add(new HybridClient(id, config, initial,
                    AggregationRules.parse("doubly-weighted:lambda=0.5"), root.split(), clients)));
        }
        // The aggregator is down almost from the start: learning must happen by gossip.
        net.at(50, () -> net.setUnreachable(SERVER, true));
        net.at(6_000, () -> net.setUnreachable(SERVER, false));
        net.startAll();
        net.runUntil(50);
        double serverAccuracyAtOutage = accuracy(server.globalModel());

        net.runUntil(6_000);
        for (HybridClient h : hybrids) {
            assertThat(accuracy(h.gossipNode().model())).as(h.id().value()).isGreaterThan(0.85);
        }
        net.runUntil(8_000);
        assertThat(serverAccuracyAtOutage).isLessThan(0.7);
        assertThat(accuracy(server.globalModel())).isGreaterThan(0.9);
    }
}
