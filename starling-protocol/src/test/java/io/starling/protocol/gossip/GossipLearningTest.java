package io.starling.protocol.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.model.TrainConfig;
import io.starling.core.model.TrainResult;
import io.starling.core.param.ParamVector;
import io.starling.protocol.Action;
import io.starling.protocol.Event;
import io.starling.protocol.NodeId;
import io.starling.protocol.Observation;
import io.starling.protocol.SplittableRng;
import io.starling.protocol.message.GossipModel;
import io.starling.protocol.message.PeerDescriptor;
import io.starling.protocol.message.RejectionReason;
import io.starling.protocol.message.Signature;
import io.starling.protocol.sampling.CyclonConfig;
import io.starling.protocol.testkit.InMemoryNetwork;
import io.starling.protocol.testkit.PullTrainer;
import io.starling.core.aggregate.AggregationRules;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GossipLearningTest {
    static final String TASK = "task";
    static final long PERIOD_MS = 200;
    static final GossipConfig CONFIG = new GossipConfig(TASK, 2, PERIOD_MS, TrainConfig.defaults(),
            new CyclonConfig(4, 2, 500));
    static final NodeId SELF = NodeId.of("self");
    static final NodeId PEER = NodeId.of("peer");

    static GossipNode node(ParamVector initial, double age) {
        GossipNode node = new GossipNode(SELF, CONFIG, initial, age, AggregationRules.parse("doubly-weighted:lambda=0.5"),
                SplittableRng.seeded(1), List.of(PEER), new io.starling.protocol.TrainingRequests());
        node.handle(new Event.Start(), 0);
        return node;
    }

    static List<Action> receive(GossipNode node, float x, float y, double age) {
        return node.handle(new Event.MessageReceived(PEER,
                new GossipModel(PEER, Signature.NONE, TASK, ParamVector.of(x, y), age)), 10);
    }

    static Action.StartTraining training(List<Action> actions) {
        return actions.stream().filter(Action.StartTraining.class::isInstance).map(Action.StartTraining.class::cast)
                .findFirst().orElseThrow();
    }

    @Test
    void aReceivedModelIsMergedWeightedByAgeThenTrained() {
        GossipNode node = node(ParamVector.of(0, 0), 3);
        List<Action> actions = receive(node, 4, 8, 1);

        // (3 * (0,0) + 1 * (4,8)) / 4 = (1,2); age max(3,1) = 3
        assertThat(training(actions).base().contentEquals(ParamVector.of(1, 2))).isTrue();
        assertThat(node.age()).isEqualTo(3);
        assertThat(node.state()).isEqualTo(GossipState.TRAINING);
        assertThat(actions).contains(new Action.Report(new Observation.ModelMerged(PEER, 3, 1, 3)));
    }

    @Test
    void twoModelsOfAgeZeroMergeToTheirMean() {
        GossipNode node = node(ParamVector.of(0, 0), 0);
        assertThat(training(receive(node, 2, 4, 0)).base().contentEquals(ParamVector.of(1, 2))).isTrue();
    }

    @Test
    void finishedTrainingAddsOneToTheAgeAndCommitsTheLocalModel() {
        GossipNode node = node(ParamVector.of(0, 0), 2);
        Action.StartTraining t = training(receive(node, 0, 0, 2));
        List<Action> done = node.handle(new Event.TrainingDone(t.requestId(), ParamVector.of(5, 5),
                new TrainResult(10, 1, 0.1)), 100);

        assertThat(node.age()).isEqualTo(3);
        assertThat(node.model().contentEquals(ParamVector.of(5, 5))).isTrue();
        assertThat(node.state()).isEqualTo(GossipState.IDLE);
        assertThat(done).filteredOn(Action.ModelCommitted.class::isInstance).singleElement()
                .satisfies(c -> assertThat(((Action.ModelCommitted) c).age()).isEqualTo(3));
    }

    @Test
    void modelsArrivingDuringTrainingAreMergedWhenTrainingEnds() {
        GossipNode node = node(ParamVector.of(0, 0), 1);
        Action.StartTraining first = training(receive(node, 0, 0, 1));
        assertThat(receive(node, 9, 9, 1)).noneMatch(Action.StartTraining.class::isInstance);

        List<Action> done = node.handle(new Event.TrainingDone(first.requestId(), ParamVector.of(3, 3),
                new TrainResult(10, 1, 0.1)), 100);

        // trained (3,3) age 2 merged with inbox (9,9) age 1: (2*3 + 9) / 3 = 5
        assertThat(training(done).base().contentEquals(ParamVector.of(5, 5))).isTrue();
        assertThat(node.state()).isEqualTo(GossipState.TRAINING);
    }

    @Test
    void malformedGossipModelsAreRejectedWithoutChangingTheModel() {
        GossipNode node = node(ParamVector.of(1, 1), 2);
        for (GossipModel bad : List.of(
                new GossipModel(PEER, Signature.NONE, TASK, ParamVector.of(1, 2, 3), 1),
                new GossipModel(PEER, Signature.NONE, TASK, ParamVector.of(Float.NaN, 1), 1),
                new GossipModel(PEER, Signature.NONE, "other", ParamVector.of(1, 1), 1))) {
            List<Action> actions = node.handle(new Event.MessageReceived(PEER, bad), 10);
            assertThat(actions).singleElement().isInstanceOf(Action.Report.class);
            assertThat(node.state()).isEqualTo(GossipState.IDLE);
            assertThat(node.age()).isEqualTo(2);
            assertThat(node.model().contentEquals(ParamVector.of(1, 1))).isTrue();
        }
        Observation.MessageRejected r = (Observation.MessageRejected) ((Action.Report) node.handle(
                new Event.MessageReceived(PEER, new GossipModel(PEER, Signature.NONE, TASK, ParamVector.of(Float.NaN, 1), 1)),
                11).getFirst()).observation();
        assertThat(r.rejection().reason()).isEqualTo(RejectionReason.NON_FINITE);
    }

    @Test
    void aPeerThatCannotBeReachedIsDroppedFromTheView() {
        GossipNode node = node(ParamVector.of(0, 0), 0);
        node.handle(new Event.DeliveryFailed(PEER, new GossipModel(SELF, Signature.NONE, TASK, ParamVector.of(0, 0), 0),
                "down"), 50);
        assertThat(node.sampler().view()).extracting(PeerDescriptor::node).doesNotContain(PEER);
    }

    @Test
    void everyNodePushesItsModelOncePerPeriodToPeersFromItsView() {
        Network g = network(12, 0.1);
        g.net().runUntil(10 * PERIOD_MS);
        for (GossipNode node : g.nodes()) {
            List<Action.Send> pushes = g.net().sends(node.id()).stream()
                    .filter(s -> s.message() instanceof GossipModel).toList();
            assertThat(pushes).hasSizeBetween(9, 10);
            assertThat(pushes).allSatisfy(s -> assertThat(s.to()).isNotEqualTo(node.id()));
        }
    }

    @Test
    void gossipDrivesAllNodesTowardsTheGlobalOptimumWithoutAnAggregator() {
        Network g = network(16, 0.1);
        g.net().runUntil(200 * PERIOD_MS);

        // Local optima are (i, -i) for i in 0..15: the global optimum is (7.5, -7.5), local ones are up to 7.5 away.
        for (GossipNode node : g.nodes()) {
            assertThat(node.model().distance(ParamVector.of(7.5f, -7.5f))).as(node.id().value()).isLessThan(2.5);
            assertThat(node.age()).isGreaterThan(50);
        }
    }

    record Network(InMemoryNetwork net, List<GossipNode> nodes) {
    }

    static Network network(int n, double trainStep) {
        PullTrainer trainer = new PullTrainer(trainStep);
        InMemoryNetwork net = new InMemoryNetwork(trainer, 5);
        net.setDefaultTrainingMs(20);
        SplittableRng root = SplittableRng.seeded(7);
        List<GossipNode> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            NodeId id = NodeId.of("g" + i);
            trainer.target(id, 10, i, -i);
            List<NodeId> bootstrap = List.of(NodeId.of("g" + (i + 1) % n), NodeId.of("g" + (i + 2) % n),
                    NodeId.of("g" + (i + 3) % n), NodeId.of("g" + (i + 4) % n));
            nodes.add(net.add(new GossipNode(id, CONFIG, ParamVector.of(0, 0), AggregationRules.parse("doubly-weighted:lambda=0.5"),
                    root.split(), bootstrap)));
        }
        net.startAll();
        return new Network(net, nodes);
    }
}
