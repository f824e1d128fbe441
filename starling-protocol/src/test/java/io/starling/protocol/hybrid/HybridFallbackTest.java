package io.starling.protocol.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.model.TrainConfig;
import io.starling.core.param.ParamVector;
import io.starling.protocol.Action;
import io.starling.protocol.Event;
import io.starling.protocol.NodeId;
import io.starling.protocol.Observation;
import io.starling.protocol.SplittableRng;
import io.starling.protocol.async.AsyncConfig;
import io.starling.protocol.async.AsyncServer;
import io.starling.protocol.client.ClientConfig;
import io.starling.protocol.gossip.GossipConfig;
import io.starling.protocol.gossip.GossipState;
import io.starling.protocol.message.ClientUpdate;
import io.starling.protocol.message.GlobalModel;
import io.starling.protocol.message.GossipModel;
import io.starling.protocol.message.Join;
import io.starling.protocol.message.Signature;
import io.starling.protocol.sampling.CyclonConfig;
import io.starling.protocol.testkit.InMemoryNetwork;
import io.starling.protocol.testkit.PullTrainer;
import io.starling.core.aggregate.AggregationRules;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HybridFallbackTest {
    static final String TASK = "task";
    static final NodeId SERVER = NodeId.of("server");
    static final long TIMEOUT_MS = 500;
    static final HybridConfig CONFIG = new HybridConfig(
            new ClientConfig(TASK, SERVER, 2, TrainConfig.defaults(), TIMEOUT_MS),
            new GossipConfig(TASK, 2, 200, TrainConfig.defaults(), new CyclonConfig(4, 2, 300)),
            400);

    static HybridClient started(NodeId id, List<NodeId> peers) {
        HybridClient client = new HybridClient(id, CONFIG, ParamVector.of(0, 0), AggregationRules.parse("doubly-weighted:lambda=0.5"),
                SplittableRng.seeded(5), peers);
        client.handle(new Event.Start(), 0);
        return client;
    }

    static <O> List<O> observations(List<Action> actions, Class<O> type) {
        return actions.stream().filter(Action.Report.class::isInstance).map(a -> ((Action.Report) a).observation())
                .filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void failedDeliveryToTheAggregatorSwitchesToGossipAtOnce() {
        HybridClient client = started(NodeId.of("c0"), List.of(NodeId.of("c1")));
        List<Action> actions = client.handle(new Event.DeliveryFailed(SERVER,
                new Join(NodeId.of("c0"), Signature.NONE, TASK), "connection refused"), 20);

        assertThat(client.state()).isEqualTo(HybridState.FALLBACK);
        assertThat(client.gossipNode().state()).isEqualTo(GossipState.IDLE);
        assertThat(observations(actions, Observation.ModeChanged.class)).singleElement()
                .satisfies(m -> assertThat(m.cause()).contains("connection refused"));
        assertThat(actions).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(Action.Send.class,
                s -> assertThat(s.message()).isInstanceOf(GossipModel.class)));
    }

    @Test
    void noModelWithinTheTimeoutSwitchesToGossip() {
        HybridClient client = started(NodeId.of("c0"), List.of(NodeId.of("c1")));
        client.handle(new Event.TimerFired("client.model-timeout"), TIMEOUT_MS);
        assertThat(client.state()).isEqualTo(HybridState.FALLBACK);
    }

    @Test
    void aModelFromTheAggregatorDuringFallbackHandsTheGossipModelBackAndReconnects() {
        HybridClient client = started(NodeId.of("c0"), List.of(NodeId.of("c1")));
        client.handle(new Event.TimerFired("client.model-timeout"), TIMEOUT_MS);

        List<Action> actions = client.handle(new Event.MessageReceived(SERVER,
                new GlobalModel(SERVER, Signature.NONE, TASK, 4, ParamVector.of(1, 1), 7)), 900);

        assertThat(client.state()).isEqualTo(HybridState.CONNECTED);
        assertThat(client.gossipNode().state()).isEqualTo(GossipState.PAUSED);
        assertThat(actions).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(Action.Send.class, s -> {
            assertThat(s.to()).isEqualTo(SERVER);
            assertThat(s.message()).isInstanceOf(GossipModel.class);
        }));
        assertThat(actions).anyMatch(Action.StartTraining.class::isInstance);
    }

    @Test
    void theAggregatorMergesAReturningGossipModelByDoublyWeightedAveraging() {
        AsyncServer server = new AsyncServer(SERVER, AsyncConfig.fedAsync(TASK, 2, 10), ParamVector.of(0, 0),
                AggregationRules.parse("fedasync:alpha=1.0"), AggregationRules.parse("doubly-weighted:lambda=0.75"));
        server.handle(new Event.Start(), 0);
        NodeId a = NodeId.of("a");
        for (int i = 0; i < 3; i++) { // three updates: server age 3, model (0,0)
            server.handle(new Event.MessageReceived(a, new ClientUpdate(a, Signature.NONE, "u" + i, TASK, i,
                    ParamVector.of(0, 0), 1, 0)), 0);
        }
        assertThat(server.age()).isEqualTo(3);

        List<Action> actions = server.handle(new Event.MessageReceived(a,
                new GossipModel(a, Signature.NONE, TASK, ParamVector.of(4, 4), 1)), 10);

        // (0.75 * 3 * 0 + 0.25 * 1 * 4) / (0.75 * 3 + 0.25 * 1) = 1 / 2.5 = 0.4
        assertThat(server.globalModel().get(0)).isCloseTo(0.4f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(server.version()).isEqualTo(4);
        assertThat(server.age()).isEqualTo(3);
        assertThat(observations(actions, Observation.ModelMerged.class))
                .containsExactly(new Observation.ModelMerged(a, 3, 1, 3));
        assertThat(actions).anySatisfy(x -> assertThat(x).isInstanceOfSatisfying(Action.Send.class,
                s -> assertThat(s.message()).isInstanceOfSatisfying(GlobalModel.class, g -> assertThat(g.version()).isEqualTo(4))));
    }

    @Test
    void anAggregatorWithoutAMergeRuleRefusesGossipModels() {
        AsyncServer server = new AsyncServer(SERVER, AsyncConfig.fedAsync(TASK, 2, 10), ParamVector.of(0, 0),
                AggregationRules.parse("fedasync:alpha=1.0"));
        server.handle(new Event.Start(), 0);
        NodeId a = NodeId.of("a");
        List<Action> actions = server.handle(new Event.MessageReceived(a,
                new GossipModel(a, Signature.NONE, TASK, ParamVector.of(4, 4), 1)), 10);
        assertThat(observations(actions, Observation.MessageRejected.class)).hasSize(1);
        assertThat(server.version()).isZero();
    }

    @Test
    void clientsKeepLearningByGossipDuringAnAggregatorOutageAndMergeBackAfterwards() {
        PullTrainer trainer = new PullTrainer(0.3);
        InMemoryNetwork net = new InMemoryNetwork(trainer, 10);
        net.setDefaultTrainingMs(50);
        AsyncServer server = net.add(new AsyncServer(SERVER, AsyncConfig.fedAsync(TASK, 2, 20), ParamVector.of(0, 0),
                AggregationRules.parse("fedasync:alpha=0.5"), AggregationRules.parse("doubly-weighted:lambda=0.5")));
        List<NodeId> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(NodeId.of("c" + i));
        }
        SplittableRng root = SplittableRng.seeded(11);
        List<HybridClient> clients = new ArrayList<>();
        for (NodeId id : ids) {
            trainer.target(id, 10, ids.indexOf(id), 1);
            clients.add(net.add(new HybridClient(id, CONFIG, ParamVector.of(0, 0), AggregationRules.parse("doubly-weighted:lambda=0.5"),
                    root.split(), ids)));
        }
        long outageStart = 2_000;
        long outageEnd = 6_000;
        net.at(outageStart, () -> net.setUnreachable(SERVER, true));
        net.at(outageEnd, () -> net.setUnreachable(SERVER, false));
        net.startAll();

        net.runUntil(outageStart);
        assertThat(clients).allSatisfy(c -> assertThat(c.state()).isEqualTo(HybridState.CONNECTED));
        long versionAtOutage = server.version();
        assertThat(versionAtOutage).isGreaterThan(10);

        net.runUntil(outageStart + 2 * TIMEOUT_MS);
        assertThat(clients).allSatisfy(c -> assertThat(c.state()).isEqualTo(HybridState.FALLBACK));

        net.runUntil(outageEnd);
        assertThat(server.version()).isEqualTo(versionAtOutage);
        for (HybridClient c : clients) {
            long gossipCommits = net.log().stream().filter(l -> l.node().equals(c.id()) && l.atMs() > outageStart)
                    .filter(l -> l.action() instanceof Action.ModelCommitted).count();
            assertThat(gossipCommits).as("local gossip models of %s during the outage", c.id()).isGreaterThan(5);
        }

        net.runUntil(outageEnd + 2_000);
        assertThat(clients).allSatisfy(c -> assertThat(c.state()).isEqualTo(HybridState.CONNECTED));
        assertThat(net.observations(SERVER, Observation.ModelMerged.class)).hasSize(clients.size());
        assertThat(server.version()).isGreaterThan(versionAtOutage + clients.size());
    }
}
