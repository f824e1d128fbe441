package io.starling.protocol.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.model.TrainConfig;
import io.starling.core.param.ParamVector;
import io.starling.protocol.Action;
import io.starling.protocol.Event;
import io.starling.protocol.NodeId;
import io.starling.protocol.Observation;
import io.starling.protocol.SplittableRng;
import io.starling.protocol.message.ClientUpdate;
import io.starling.protocol.message.GlobalModel;
import io.starling.protocol.message.ProtocolMessage;
import io.starling.protocol.message.RejectionReason;
import io.starling.protocol.message.Signature;
import io.starling.protocol.message.UpdateRejected;
import io.starling.protocol.sync.SyncConfig;
import io.starling.protocol.sync.SyncServer;
import io.starling.core.aggregate.AggregationRules;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Malformed messages are refused with a typed reason and leave the receiver's state unchanged. */
class MalformedMessageHandlingTest {
    static final NodeId SERVER = NodeId.of("server");
    static final NodeId CLIENT = NodeId.of("c0");

    final SyncServer server = new SyncServer(SERVER, new SyncConfig("task", 2, 1.0, 1, 1, 1_000),
            ParamVector.of(1, 1), AggregationRules.parse("fedavg"), SplittableRng.seeded(3), List.of(CLIENT));
    final AggregatorClient client = new AggregatorClient(CLIENT,
            new ClientConfig("task", SERVER, 2, TrainConfig.defaults(), 0), SplittableRng.seeded(4));

    static RejectionReason rejectionIn(List<Action> actions) {
        return actions.stream().filter(a -> a instanceof Action.Report r
                        && r.observation() instanceof Observation.MessageRejected)
                .map(a -> ((Observation.MessageRejected) ((Action.Report) a).observation()).rejection().reason())
                .findFirst().orElseThrow();
    }

    List<Action> updateToServer(ClientUpdate u) {
        return server.handle(new Event.MessageReceived(CLIENT, u), 10);
    }

    static ClientUpdate update(String id, String task, ParamVector p) {
        return new ClientUpdate(CLIENT, Signature.NONE, id, task, 0, p, 4, 0.3);
    }

    @Test
    void serverRejectsWrongDimensionsNanAndUnknownTaskWithoutCountingThem() {
        server.handle(new Event.Start(), 0);

        assertThat(rejectionIn(updateToServer(update("bad1", "task", ParamVector.of(1, 2, 3)))))
                .isEqualTo(RejectionReason.DIMENSION_MISMATCH);
        assertThat(rejectionIn(updateToServer(update("bad2", "task", ParamVector.of(Float.NaN, 2)))))
                .isEqualTo(RejectionReason.NON_FINITE);
        assertThat(rejectionIn(updateToServer(update("bad3", "other-task", ParamVector.of(1, 2)))))
                .isEqualTo(RejectionReason.UNKNOWN_TASK);
        assertThat(server.version()).isZero();
        assertThat(server.globalModel().contentEquals(ParamVector.of(1, 1))).isTrue();

        // The refused messages did not count as this client's contribution: a good one still commits.
        List<Action> good = updateToServer(update("good", "task", ParamVector.of(3, 3)));
        assertThat(good).anySatisfy(a -> assertThat(a).isInstanceOf(Action.ModelCommitted.class));
        assertThat(server.version()).isEqualTo(1);
    }

    @Test
    void serverTellsTheClientWhyItsUpdateWasRefused() {
        server.handle(new Event.Start(), 0);
        List<Action> actions = updateToServer(update("bad", "task", ParamVector.of(1, 2, 3)));
        assertThat(actions).anySatisfy(a -> {
            assertThat(a).isInstanceOf(Action.Send.class);
            UpdateRejected r = (UpdateRejected) ((Action.Send) a).message();
            assertThat(r.updateId()).isEqualTo("bad");
            assertThat(r.rejection().reason()).isEqualTo(RejectionReason.DIMENSION_MISMATCH);
        });
    }

    @Test
    void clientIgnoresMalformedModelsAndTrainsOnlyOnAValidOne() {
        client.handle(new Event.Start(), 0);
        for (ProtocolMessage bad : List.of(
                new GlobalModel(SERVER, Signature.NONE, "task", 1, ParamVector.of(1, 2, 3), 0),
                new GlobalModel(SERVER, Signature.NONE, "task", 1, ParamVector.of(Float.NaN, 0), 0),
                new GlobalModel(SERVER, Signature.NONE, "elsewhere", 1, ParamVector.of(1, 2), 0))) {
            List<Action> actions = client.handle(new Event.MessageReceived(SERVER, bad), 5);
            assertThat(actions).noneMatch(a -> a instanceof Action.StartTraining);
            assertThat(client.state()).isEqualTo(ClientState.WAITING_FOR_MODEL);
            assertThat(client.knownVersion()).isZero();
        }
        List<Action> ok = client.handle(new Event.MessageReceived(SERVER,
                new GlobalModel(SERVER, Signature.NONE, "task", 1, ParamVector.of(1, 2), 0)), 6);
        assertThat(ok).anyMatch(a -> a instanceof Action.StartTraining);
        assertThat(client.state()).isEqualTo(ClientState.TRAINING);
    }

    @Test
    void duplicateUpdateInTheSameRoundIsRefused() {
        SyncServer twoClients = new SyncServer(SERVER, new SyncConfig("task", 2, 1.0, 2, 2, 1_000),
                ParamVector.of(1, 1), AggregationRules.parse("fedavg"), SplittableRng.seeded(3), List.of(CLIENT, NodeId.of("c1")));
        twoClients.handle(new Event.Start(), 0);
        twoClients.handle(new Event.MessageReceived(CLIENT, update("u1", "task", ParamVector.of(2, 2))), 5);
        List<Action> again = twoClients.handle(new Event.MessageReceived(CLIENT, update("u2", "task", ParamVector.of(9, 9))), 6);
        assertThat(rejectionIn(again)).isEqualTo(RejectionReason.DUPLICATE_UPDATE);
    }
}
