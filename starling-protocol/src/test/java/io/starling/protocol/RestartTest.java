package io.starling.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.aggregate.AggregationRules;
import io.starling.core.model.TrainConfig;
import io.starling.core.param.ParamVector;
import io.starling.protocol.client.AggregatorClient;
import io.starling.protocol.client.ClientConfig;
import io.starling.protocol.client.ClientState;
import io.starling.protocol.gossip.GossipConfig;
import io.starling.protocol.gossip.GossipNode;
import io.starling.protocol.gossip.GossipState;
import io.starling.protocol.message.GlobalModel;
import io.starling.protocol.message.GossipModel;
import io.starling.protocol.message.Join;
import io.starling.protocol.message.Signature;
import io.starling.protocol.sampling.CyclonConfig;
import io.starling.protocol.sync.SyncConfig;
import io.starling.protocol.sync.SyncServer;
import io.starling.protocol.sync.SyncServerState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A {@code Start} after a crash (timers and training results lost) never leaves a node stuck. */
class RestartTest {
    static final NodeId SERVER = NodeId.of("server");
    static final NodeId C0 = NodeId.of("c0");

    @Test
    void aClientRestartedDuringTrainingAsksForAModelAgain() {
        AggregatorClient client = new AggregatorClient(C0, new ClientConfig("t", SERVER, 2, TrainConfig.defaults(), 500),
                SplittableRng.seeded(1));
        client.handle(new Event.Start(), 0);
        client.handle(new Event.MessageReceived(SERVER, new GlobalModel(SERVER, Signature.NONE, "t", 0,
                ParamVector.of(1, 1), 0)), 10);
        assertThat(client.state()).isEqualTo(ClientState.TRAINING);

        List<Action> actions = client.handle(new Event.Start(), 2_000);

        assertThat(client.state()).isEqualTo(ClientState.WAITING_FOR_MODEL);
        assertThat(actions).contains(new Action.Send(SERVER, new Join(C0, Signature.NONE, "t")),
                new Action.SetTimer(AggregatorClient.MODEL_TIMEOUT_TIMER, 2_500));
    }

    @Test
    void aSyncServerRestartedMidRoundGivesTheRoundAFreshDeadline() {
        SyncServer server = new SyncServer(SERVER, new SyncConfig("t", 2, 1.0, 1, 1, 300), ParamVector.of(0, 0),
                AggregationRules.parse("fedavg"), SplittableRng.seeded(1), List.of(C0));
        server.handle(new Event.Start(), 0);
        assertThat(server.state()).isEqualTo(SyncServerState.COLLECTING);

        List<Action> actions = server.handle(new Event.Start(), 1_000);

        assertThat(actions).containsExactly(new Action.SetTimer(SyncServer.DEADLINE_TIMER, 1_300));
        assertThat(server.round()).isEqualTo(1);
    }

    @Test
    void aGossipNodeRestartedDuringTrainingMergesTheNextModelAgain() {
        NodeId peer = NodeId.of("p");
        GossipNode node = new GossipNode(C0, new GossipConfig("t", 2, 100, TrainConfig.defaults(),
                new CyclonConfig(2, 1, 100)), ParamVector.of(0, 0), AggregationRules.parse("doubly-weighted:lambda=0.5"),
                SplittableRng.seeded(1), List.of(peer));
        node.handle(new Event.Start(), 0);
        GossipModel incoming = new GossipModel(peer, Signature.NONE, "t", ParamVector.of(2, 2), 1);
        node.handle(new Event.MessageReceived(peer, incoming), 10);
        assertThat(node.state()).isEqualTo(GossipState.TRAINING);

        node.handle(new Event.Start(), 1_000);
        assertThat(node.state()).isEqualTo(GossipState.IDLE);
        assertThat(node.handle(new Event.MessageReceived(peer, incoming), 1_010))
                .anyMatch(Action.StartTraining.class::isInstance);
    }
}
