package io.starling.protocol.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.model.TrainConfig;
import io.starling.core.param.ParamVector;
import io.starling.protocol.Action;
import io.starling.protocol.NodeId;
import io.starling.protocol.Observation;
import io.starling.protocol.SplittableRng;
import io.starling.protocol.client.AggregatorClient;
import io.starling.protocol.client.ClientConfig;
import io.starling.protocol.message.GlobalModel;
import io.starling.protocol.message.RejectionReason;
import io.starling.protocol.message.UpdateRejected;
import io.starling.protocol.testkit.InMemoryNetwork;
import io.starling.protocol.testkit.PullTrainer;
import io.starling.core.aggregate.AggregationRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyncFedAvgTest {
    static final String TASK = "task";
    static final NodeId SERVER = NodeId.of("server");
    static final long DEADLINE_MS = 500;

    final PullTrainer trainer = new PullTrainer(0.5);
    final InMemoryNetwork net = new InMemoryNetwork(trainer, 10);
    final List<NodeId> clients = new ArrayList<>();

    SyncServer server(double fraction, int minClients, int minUpdates) {
        return net.add(new SyncServer(SERVER, new SyncConfig(TASK, 2, fraction, minClients, minUpdates, DEADLINE_MS),
                ParamVector.zeros(2), AggregationRules.parse("fedavg"), SplittableRng.seeded(1), List.copyOf(clients)));
    }

    void addClients(int n) {
        for (int i = 0; i < n; i++) {
            NodeId id = NodeId.of("c" + clients.size());
            trainer.target(id, 10 + i, i, -i);
            clients.add(id);
            net.add(new AggregatorClient(id, new ClientConfig(TASK, SERVER, 2, TrainConfig.defaults(), 0),
                    SplittableRng.seeded(100 + clients.size())));
        }
    }

    @Test
    void roundsAdvanceAndEachCommitsTheNextVersion() {
        addClients(3);
        SyncServer server = server(1.0, 3, 1);
        net.startAll();
        net.runUntil(2_000);

        List<Action.ModelCommitted> commits = net.commits(SERVER);
        assertThat(commits).hasSizeGreaterThanOrEqualTo(5);
        for (int i = 0; i < commits.size(); i++) {
            assertThat(commits.get(i).version()).isEqualTo(i + 1);
        }
        assertThat(server.round()).isGreaterThan(commits.size());
        assertThat(net.observations(SERVER, Observation.RoundClosed.class))
                .allSatisfy(r -> assertThat(r.committed()).isTrue());
    }

    @Test
    void fedAvgRoundsConvergeToTheSampleWeightedMeanOfClientOptima() {
        addClients(3);
        SyncServer server = server(1.0, 3, 1);
        net.startAll();
        net.runUntil(10_000);

        // targets (0,0) x10, (1,-1) x11, (2,-2) x12: weighted mean x = (11 + 24) / 33
        float expected = 35f / 33f;
        assertThat(server.globalModel().get(0)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-3f));
        assertThat(server.globalModel().get(1)).isCloseTo(-expected, org.assertj.core.data.Offset.offset(1e-3f));
    }

    @Test
    void eachRoundAsksTheFractionCOfKnownClients() {
        addClients(10);
        server(0.3, 1, 1);
        net.startAll();
        net.runUntil(3_000);

        List<Action.Send> modelSends = net.sends(SERVER).stream()
                .filter(s -> s.message() instanceof GlobalModel).toList();
        List<Long> versions = modelSends.stream().map(s -> ((GlobalModel) s.message()).version()).distinct().toList();
        assertThat(versions).hasSizeGreaterThan(3);
        for (long v : versions) {
            Set<NodeId> asked = new HashSet<>();
            modelSends.stream().filter(s -> ((GlobalModel) s.message()).version() == v).forEach(s -> asked.add(s.to()));
            assertThat(asked).hasSize(3);
        }
    }

    @Test
    void serverWaitsUntilMinClientsHaveJoined() {
        addClients(2);
        SyncServer server = server(1.0, 3, 1);
        net.startAll();
        net.runUntil(1_000);
        assertThat(server.state()).isEqualTo(SyncServerState.WAITING_FOR_CLIENTS);
        assertThat(net.sent(SERVER, GlobalModel.class)).isEmpty();

        addClients(1);
        net.deliverNow(clients.get(2), new io.starling.protocol.Event.Start());
        net.runUntil(1_100);
        assertThat(server.state()).isEqualTo(SyncServerState.COLLECTING);
        assertThat(net.sent(SERVER, GlobalModel.class)).hasSize(3);
    }

    @Test
    void stragglersAreDroppedAtTheDeadlineAndTheRoundCommitsWithoutThem() {
        addClients(3);
        SyncServer server = server(1.0, 3, 1);
        NodeId slow = clients.get(2);
        net.setTrainingMs(slow, DEADLINE_MS * 3);
        net.startAll();
        net.runUntil(DEADLINE_MS + 50);

        Observation.RoundClosed first = net.observations(SERVER, Observation.RoundClosed.class).getFirst();
        assertThat(first.dropped()).containsExactly(slow);
        assertThat(first.received()).isEqualTo(2);
        assertThat(first.committed()).isTrue();
        // The committed model is FedAvg of the two fast clients' first step from zero: 0.5 * target.
        ParamVector v1 = net.commits(SERVER).getFirst().model();
        float expectedX = (float) ((10 * 0.0 + 11 * 0.5) / 21);
        assertThat(v1.get(0)).isCloseTo(expectedX, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(server.version()).isEqualTo(1);
    }

    @Test
    void aStragglerAbandonsItsTrainingWhenTheNextRoundsModelArrives() {
        addClients(3);
        server(1.0, 3, 1);
        NodeId slow = clients.get(2);
        net.setTrainingMs(slow, DEADLINE_MS + 200);
        net.startAll();
        net.runUntil(DEADLINE_MS + 400);

        assertThat(net.actions(slow, Action.StartTraining.class)).hasSize(2);
        assertThat(net.sent(slow, io.starling.protocol.message.ClientUpdate.class)).isEmpty();
    }

    @Test
    void anUpdateTrainedOnAnOlderVersionIsRejectedAsStale() {
        addClients(2);
        SyncServer server = server(1.0, 2, 1);
        net.startAll();
        net.runUntil(150);
        assertThat(server.version()).isEqualTo(1);

        NodeId client = clients.get(0);
        List<Action> actions = net.deliverNow(SERVER, new io.starling.protocol.Event.MessageReceived(client,
                new io.starling.protocol.message.ClientUpdate(client, io.starling.protocol.message.Signature.NONE,
                        "late", TASK, 0, ParamVector.of(1, 1), 5, 0.1)));

        UpdateRejected rejected = (UpdateRejected) ((Action.Send) actions.stream()
                .filter(a -> a instanceof Action.Send).findFirst().orElseThrow()).message();
        assertThat(rejected.rejection().reason()).isEqualTo(RejectionReason.TOO_STALE);
        assertThat(rejected.currentVersion()).isEqualTo(1);
    }

    @Test
    void roundWithTooFewUpdatesCommitsNothingAndStartsANewRound() {
        addClients(2);
        SyncServer server = server(1.0, 2, 2);
        net.setTrainingMs(clients.get(1), DEADLINE_MS * 10);
        net.startAll();
        net.runUntil(DEADLINE_MS + 50);

        Observation.RoundClosed first = net.observations(SERVER, Observation.RoundClosed.class).getFirst();
        assertThat(first.committed()).isFalse();
        assertThat(net.commits(SERVER)).isEmpty();
        assertThat(server.version()).isZero();
        assertThat(server.round()).isEqualTo(2);
        assertThat(server.state()).isEqualTo(SyncServerState.COLLECTING);
    }

    @Test
    void aSelectedClientThatJoinsAgainMidRoundGetsTheRoundsModelAgain() {
        addClients(2);
        SyncServer server = server(1.0, 2, 2);
        List<Action> start = server.handle(new io.starling.protocol.Event.Start(), 0);
        assertThat(start).filteredOn(Action.Send.class::isInstance).hasSize(2);

        List<Action> rejoin = server.handle(new io.starling.protocol.Event.MessageReceived(clients.get(0),
                new io.starling.protocol.message.Join(clients.get(0), io.starling.protocol.message.Signature.NONE, TASK)), 10);

        assertThat(rejoin).singleElement().isInstanceOfSatisfying(Action.Send.class, send -> {
            assertThat(send.to()).isEqualTo(clients.get(0));
            assertThat(send.message()).isInstanceOfSatisfying(GlobalModel.class, g -> assertThat(g.version()).isZero());
        });
    }

    @Test
    void aClientThatAlreadyContributedAndJoinsAgainIsNotSentTheRoundsModel() {
        addClients(2);
        SyncServer server = server(1.0, 2, 2);
        server.handle(new io.starling.protocol.Event.Start(), 0);
        NodeId c0 = clients.get(0);
        server.handle(new io.starling.protocol.Event.MessageReceived(c0, new io.starling.protocol.message.ClientUpdate(c0,
                io.starling.protocol.message.Signature.NONE, "c0/u1", TASK, 0, ParamVector.zeros(2), 10, 0.5)), 5);

        List<Action> rejoin = server.handle(new io.starling.protocol.Event.MessageReceived(c0,
                new io.starling.protocol.message.Join(c0, io.starling.protocol.message.Signature.NONE, TASK)), 10);

        assertThat(rejoin).noneMatch(Action.Send.class::isInstance);
    }

    @Test
    void unreachableClientEndsTheRoundBeforeTheDeadline() {
        addClients(2);
        server(1.0, 2, 1);
        net.setUnreachable(clients.get(1), true);
        net.startAll();
        net.runUntil(DEADLINE_MS - 100);

        Observation.RoundClosed first = net.observations(SERVER, Observation.RoundClosed.class).getFirst();
        assertThat(first.dropped()).containsExactly(clients.get(1));
        assertThat(first.committed()).isTrue();
    }

    @Test
    void clientsLearnThatTheirUpdateWasAcknowledgedAfterTheCommit() {
        addClients(2);
        server(1.0, 2, 1);
        net.startAll();
        net.runUntil(400);

        List<Observation.UpdateAcknowledged> acks = net.observations(clients.get(0), Observation.UpdateAcknowledged.class);
        assertThat(acks).isNotEmpty();
        assertThat(acks.getFirst().version()).isEqualTo(1);
    }
}
