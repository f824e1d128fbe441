package io.starling.protocol.async;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.aggregate.AggregationRule;
import io.starling.core.aggregate.AggregationRules;
import io.starling.core.model.TrainConfig;
import io.starling.core.param.ParamVector;
import io.starling.protocol.Action;
import io.starling.protocol.Event;
import io.starling.protocol.NodeId;
import io.starling.protocol.Observation;
import io.starling.protocol.SplittableRng;
import io.starling.protocol.client.AggregatorClient;
import io.starling.protocol.client.ClientConfig;
import io.starling.protocol.message.ClientUpdate;
import io.starling.protocol.message.GlobalModel;
import io.starling.protocol.message.Join;
import io.starling.protocol.message.RejectionReason;
import io.starling.protocol.message.Signature;
import io.starling.protocol.message.UpdateAccepted;
import io.starling.protocol.message.UpdateRejected;
import io.starling.protocol.testkit.InMemoryNetwork;
import io.starling.protocol.testkit.PullTrainer;
import io.starling.core.aggregate.AggregationRules;
import java.util.List;
import org.junit.jupiter.api.Test;

class AsyncAggregationTest {
    static final String TASK = "task";
    static final NodeId SERVER = NodeId.of("server");

    static ClientUpdate update(String client, String id, long base, float... params) {
        return new ClientUpdate(NodeId.of(client), Signature.NONE, id, TASK, base, ParamVector.of(params), 10, 0.1);
    }

    static List<Action> deliver(AsyncServer server, ClientUpdate u) {
        return server.handle(new Event.MessageReceived(u.sender(), u), 0);
    }

    static <M> List<M> sentTo(List<Action> actions, String to, Class<M> type) {
        return actions.stream().filter(a -> a instanceof Action.Send s && s.to().equals(NodeId.of(to))
                        && type.isInstance(s.message()))
                .map(a -> type.cast(((Action.Send) a).message())).toList();
    }

    /** A started server with the real rule parsed from {@code ruleSpec}. */
    static AsyncServer started(String ruleSpec, long maxStaleness) {
        AggregationRule rule = AggregationRules.parse(ruleSpec);
        AsyncServer server = new AsyncServer(SERVER, AsyncConfig.forRule(TASK, 2, rule, maxStaleness),
                ParamVector.of(0, 0), rule);
        server.handle(new Event.Start(), 0);
        return server;
    }

    @Test
    void fedBuffAppliesTheRuleOnlyOnceKUpdatesAreBuffered() {
        AsyncServer server = started("fedbuff:k=3,lr=1", 10);
        deliver(server, update("a", "a1", 0, 3, 0));
        deliver(server, update("b", "b1", 0, 0, 3));
        assertThat(server.version()).isZero();
        assertThat(server.bufferedUpdates()).isEqualTo(2);

        List<Action> third = deliver(server, update("c", "c1", 0, 0, 0));
        assertThat(server.version()).isEqualTo(1);
        assertThat(server.bufferedUpdates()).isZero();
        assertThat(server.globalModel().contentEquals(ParamVector.of(1, 1))).isTrue();
        for (String client : List.of("a", "b", "c")) {
            assertThat(sentTo(third, client, UpdateAccepted.class)).singleElement()
                    .satisfies(ack -> assertThat(ack.version()).isEqualTo(1));
        }
    }

    @Test
    void aPartlyFilledBufferIsFlushedWhenItsFirstUpdateHasWaitedFlushAfterMs() {
        AggregationRule rule = AggregationRules.parse("fedbuff:k=3,lr=1");
        AsyncServer server = new AsyncServer(SERVER, AsyncConfig.forRule(TASK, 2, rule, 10).withFlushAfterMs(500),
                ParamVector.of(0, 0), rule);
        server.handle(new Event.Start(), 0);
        List<Action> first = server.handle(new Event.MessageReceived(NodeId.of("a"), update("a", "a1", 0, 2, 0)), 100);
        assertThat(first).contains(new Action.SetTimer(AsyncServer.FLUSH_TIMER, 600));
        server.handle(new Event.MessageReceived(NodeId.of("b"), update("b", "b1", 0, 0, 2)), 200);

        List<Action> flushed = server.handle(new Event.TimerFired(AsyncServer.FLUSH_TIMER), 600);

        assertThat(server.version()).isEqualTo(1);
        assertThat(server.globalModel().contentEquals(ParamVector.of(1, 1))).isTrue();
        assertThat(sentTo(flushed, "a", UpdateAccepted.class)).hasSize(1);
        assertThat(sentTo(flushed, "b", UpdateAccepted.class)).hasSize(1);
        assertThat(server.handle(new Event.TimerFired(AsyncServer.FLUSH_TIMER), 700)).isEmpty();
    }

    @Test
    void fedAsyncCommitsOneVersionPerAcceptedUpdate() {
        AsyncServer server = new AsyncServer(SERVER, AsyncConfig.fedAsync(TASK, 2, 10), ParamVector.of(0, 0),
                AggregationRules.parse("fedasync:alpha=0.5"));
        server.handle(new Event.Start(), 0);
        List<Action> first = deliver(server, update("a", "a1", 0, 4, 4));
        List<Action> second = deliver(server, update("b", "b1", 1, 0, 0));

        assertThat(first).filteredOn(Action.ModelCommitted.class::isInstance).singleElement()
                .satisfies(c -> assertThat(((Action.ModelCommitted) c).version()).isEqualTo(1));
        assertThat(second).filteredOn(Action.ModelCommitted.class::isInstance).singleElement()
                .satisfies(c -> assertThat(((Action.ModelCommitted) c).version()).isEqualTo(2));
        assertThat(server.globalModel().contentEquals(ParamVector.of(1, 1))).isTrue();
    }

    @Test
    void aStaleUpdateContributesOnlyItsOwnProgressFromItsBase() {
        AsyncServer server = started("fedasync:alpha=1", 10);
        deliver(server, update("a", "a1", 0, 4, 4)); // v1 = (4,4)
        // b trained from v0 = (0,0) to (1,0): its delta (1,0) moves v1, it does not drag it back to (1,0).
        deliver(server, update("b", "b1", 0, 1, 0));
        assertThat(server.globalModel().contentEquals(ParamVector.of(5, 4))).isTrue();
    }

    @Test
    void acceptedUpdatesReportTheirStaleness() {
        AsyncServer server = started("fedasync:alpha=0.5", 10);
        deliver(server, update("a", "a1", 0, 1, 1));
        deliver(server, update("a", "a2", 1, 1, 1));
        List<Action> late = deliver(server, update("b", "b1", 0, 1, 1));

        assertThat(late).filteredOn(Action.Report.class::isInstance)
                .map(a -> ((Action.Report) a).observation())
                .contains(new Observation.UpdateAccepted(NodeId.of("b"), "b1", 2));
    }

    @Test
    void updateBeyondMaxStalenessIsRejectedAndTheClientGetsTheCurrentModel() {
        AsyncServer server = started("fedasync:alpha=0.5", 1);
        deliver(server, update("a", "a1", 0, 1, 1));
        deliver(server, update("a", "a2", 1, 2, 2));
        ParamVector before = server.globalModel();

        List<Action> stale = deliver(server, update("b", "b1", 0, 9, 9));

        assertThat(sentTo(stale, "b", UpdateRejected.class)).singleElement()
                .satisfies(r -> assertThat(r.rejection().reason()).isEqualTo(RejectionReason.TOO_STALE));
        assertThat(sentTo(stale, "b", GlobalModel.class)).singleElement()
                .satisfies(m -> assertThat(m.version()).isEqualTo(2));
        assertThat(server.version()).isEqualTo(2);
        assertThat(server.globalModel().contentEquals(before)).isTrue();
    }

    @Test
    void clientGetsTheNewestModelAfterEachAcceptedUpdate() {
        AsyncServer server = started("fedbuff:k=2,lr=1", 10);
        List<Action> buffered = deliver(server, update("a", "a1", 0, 2, 2));
        assertThat(sentTo(buffered, "a", GlobalModel.class)).singleElement()
                .satisfies(m -> assertThat(m.version()).isZero());
        List<Action> committed = deliver(server, update("b", "b1", 0, 0, 0));
        assertThat(sentTo(committed, "b", GlobalModel.class)).singleElement()
                .satisfies(m -> assertThat(m.version()).isEqualTo(1));
    }

    @Test
    void resendingACommittedUpdateIsAcknowledgedAgainWithoutChangingTheModel() {
        AsyncServer server = started("fedasync:alpha=0.5", 10);
        deliver(server, update("a", "a1", 0, 2, 2));
        ParamVector before = server.globalModel();

        List<Action> resend = deliver(server, update("a", "a1", 0, 2, 2));

        assertThat(sentTo(resend, "a", UpdateAccepted.class)).singleElement()
                .satisfies(ack -> assertThat(ack.version()).isEqualTo(1));
        assertThat(server.version()).isEqualTo(1);
        assertThat(server.globalModel().contentEquals(before)).isTrue();
    }

    @Test
    void joinIsAnsweredWithTheCurrentModel() {
        AsyncServer server = started("fedasync:alpha=0.5", 10);
        List<Action> actions = server.handle(new Event.MessageReceived(NodeId.of("a"),
                new Join(NodeId.of("a"), Signature.NONE, TASK)), 0);
        assertThat(sentTo(actions, "a", GlobalModel.class)).hasSize(1);
    }

    @Test
    void clientsAndServerKeepTrainingContinuouslyOverTheNetwork() {
        PullTrainer trainer = new PullTrainer(0.5);
        InMemoryNetwork net = new InMemoryNetwork(trainer, 10);
        net.add(new AsyncServer(SERVER, AsyncConfig.fedBuff(TASK, 2, 2, 4), ParamVector.of(0, 0),
                AggregationRules.parse("fedbuff:k=2,lr=1")));
        for (int i = 0; i < 3; i++) {
            NodeId c = NodeId.of("c" + i);
            trainer.target(c, 10, i, i);
            net.setTrainingMs(c, 50 + 40L * i);
            net.add(new AggregatorClient(c, new ClientConfig(TASK, SERVER, 2, TrainConfig.defaults(), 1_000),
                    SplittableRng.seeded(i)));
        }
        net.startAll();
        net.runUntil(2_000);

        List<Action.ModelCommitted> commits = net.commits(SERVER);
        assertThat(commits).hasSizeGreaterThan(10);
        assertThat(commits.getLast().model().get(0)).isBetween(0.5f, 1.5f);
        for (int i = 0; i < 3; i++) {
            assertThat(net.observations(NodeId.of("c" + i), Observation.UpdateAcknowledged.class)).isNotEmpty();
        }
    }
}
