package io.starling.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.core.model.TrainConfig;
import io.starling.core.model.TrainResult;
import io.starling.core.param.ParamVector;
import io.starling.protocol.Action;
import io.starling.protocol.Event;
import io.starling.protocol.NodeId;
import io.starling.sim.device.DeviceProfile;
import io.starling.sim.device.EnergyModel;
import io.starling.sim.device.IntervalAvailability;
import io.starling.sim.fault.Fault;
import io.starling.sim.fault.FaultSchedule;
import io.starling.sim.testing.Devices;
import io.starling.sim.testing.Note;
import io.starling.sim.testing.ScriptedNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class SimulationTest {
    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");
    private static final long SEED = 7;

    /** Builds a simulation over scripted nodes; nodes rebuilt after a state-dropping crash come from {@code scripts} again. */
    private static final class Harness {
        final Map<NodeId, BiFunction<Event, Long, List<Action>>> scripts = new LinkedHashMap<>();
        final Map<NodeId, List<ScriptedNode>> lives = new LinkedHashMap<>();
        final List<NodeSpec> specs = new ArrayList<>();
        LocalTrainer trainer = (i, base, cfg, now) -> new LocalTrainer.Outcome(base.copy(), new TrainResult(50, 2, 0.5));
        FaultSchedule faults = FaultSchedule.NONE;
        SimObserver observer = SimObserver.NONE;
        long durationMs = 10_000;

        Harness node(NodeSpec spec, BiFunction<Event, Long, List<Action>> script) {
            specs.add(spec);
            scripts.put(spec.id(), script);
            return this;
        }

        Simulation build() {
            return new Simulation(SimulationConfig.of(SEED, durationMs, 1_000), specs, (i, spec, rng) -> {
                ScriptedNode n = new ScriptedNode(spec.id(), scripts.get(spec.id()));
                lives.computeIfAbsent(spec.id(), k -> new ArrayList<>()).add(n);
                return n;
            }, trainer, faults, observer);
        }

        Simulation run() {
            Simulation s = build();
            s.run();
            return s;
        }

        ScriptedNode node(NodeId id) {
            List<ScriptedNode> l = lives.get(id);
            return l.get(l.size() - 1);
        }
    }

    private static BiFunction<Event, Long, List<Action>> sendOnStart(NodeId to, long bytes) {
        return (e, t) -> e instanceof Event.Start ? List.of(new Action.Send(to, new Note(A, bytes, "hi"))) : List.of();
    }

    private static BiFunction<Event, Long, List<Action>> passive() {
        return (e, t) -> List.of();
    }

    @Test
    void messageArrivesAfterTransferTimePlusBothLatencies() {
        Harness h = new Harness().node(Devices.device("a"), sendOnStart(B, 2000)).node(Devices.device("b"), passive());
        h.run();
        // 2000 B at min(1000, 1000) B/s = 2000 ms, plus 10 ms + 10 ms latency
        assertThat(h.node(B).seen(Event.MessageReceived.class)).singleElement()
                .extracting(ScriptedNode.Seen::atMs).isEqualTo(2020L);
    }

    @Test
    void messagesOnOneUplinkQueueBehindEachOther() {
        Harness h = new Harness().node(Devices.device("a"), (e, t) -> e instanceof Event.Start
                ? List.of(new Action.Send(B, new Note(A, 1000, "1")), new Action.Send(B, new Note(A, 1000, "2")))
                : List.of()).node(Devices.device("b"), passive());
        h.run();
        assertThat(h.node(B).seen(Event.MessageReceived.class)).extracting(ScriptedNode.Seen::atMs)
                .containsExactly(1020L, 2020L);
    }

    @Test
    void messageToADownNodeFailsBackToTheSender() {
        Harness h = new Harness().node(Devices.device("a"), sendOnStart(B, 100))
                .node(Devices.device("b", IntervalAvailability.between(5_000, 10_000)), passive());
        Simulation sim = h.run();
        assertThat(h.node(B).seen(Event.MessageReceived.class)).isEmpty();
        assertThat(h.node(A).seen(Event.DeliveryFailed.class)).singleElement().satisfies(s -> {
            assertThat(s.atMs()).isEqualTo(120L);
            assertThat(((Event.DeliveryFailed) s.event()).reason()).contains("down");
        });
        assertThat(sim.bytesUp()).isEqualTo(100);
        assertThat(sim.bytesDown()).isZero();
    }

    @Test
    void partitionFailsMessagesBetweenGroupsButNotWithinOne() {
        NodeId c = NodeId.of("c");
        Harness h = new Harness()
                .node(Devices.device("a"), (e, t) -> e instanceof Event.Start
                        ? List.of(new Action.Send(B, new Note(A, 10, "x")), new Action.Send(c, new Note(A, 10, "y")))
                        : List.of())
                .node(Devices.device("b"), passive()).node(Devices.device("c"), passive());
        h.faults = new FaultSchedule(List.of(new Fault.Partition(0, 5_000, List.of(Set.of(A, c), Set.of(B)))));
        h.run();
        assertThat(h.node(B).seen(Event.MessageReceived.class)).isEmpty();
        assertThat(h.node(c).seen(Event.MessageReceived.class)).hasSize(1);
        assertThat(h.node(A).seen(Event.DeliveryFailed.class)).singleElement()
                .satisfies(s -> assertThat(((Event.DeliveryFailed) s.event()).to()).isEqualTo(B));
    }

    @Test
    void lossDropsAboutTheConfiguredFractionSilently() {
        int n = 2000;
        Harness h = new Harness().node(Devices.aggregator("a"), (e, t) -> {
            if (!(e instanceof Event.Start)) {
                return List.of();
            }
            List<Action> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(new Action.Send(B, new Note(A, 0, "m" + i)));
            }
            return out;
        }).node(Devices.aggregator("b"), passive());
        h.faults = new FaultSchedule(List.of(new Fault.MessageLoss(0.25, 0, 10_000)));
        h.run();
        int received = h.node(B).seen(Event.MessageReceived.class).size();
        assertThat(received).isBetween((int) (n * 0.70), (int) (n * 0.80));
        assertThat(h.node(A).seen(Event.DeliveryFailed.class)).isEmpty();
    }

    @Test
    void trainingTakesSamplesOverComputeSpeedAndChargesEnergy() {
        ParamVector base = ParamVector.of(1, 2);
        Harness h = new Harness().node(Devices.device("a"), (e, t) -> e instanceof Event.Start
                ? List.of(new Action.StartTraining(9, base, TrainConfig.defaults())) : List.of());
        h.trainer = (i, b, cfg, now) -> new LocalTrainer.Outcome(b.plus(ParamVector.of(1, 1)), new TrainResult(250, 8, 0.3));
        Simulation sim = h.run();
        // 250 samples at 100 samples/s = 2.5 s; 1 J per sample
        assertThat(h.node(A).seen(Event.TrainingDone.class)).singleElement().satisfies(s -> {
            assertThat(s.atMs()).isEqualTo(2500L);
            Event.TrainingDone d = (Event.TrainingDone) s.event();
            assertThat(d.requestId()).isEqualTo(9);
            assertThat(d.model().toArray()).containsExactly(2f, 3f);
        });
        assertThat(sim.energyJ()).isEqualTo(250.0);
    }

    @Test
    void trainingInProgressIsLostWhenTheDeviceGoesOffline() {
        Harness h = new Harness().node(Devices.device("a", IntervalAvailability.between(0, 100)), (e, t) ->
                e instanceof Event.Start ? List.of(new Action.StartTraining(1, ParamVector.of(0), TrainConfig.defaults()))
                        : List.of());
        Simulation sim = h.run();
        assertThat(h.node(A).seen(Event.TrainingDone.class)).isEmpty();
        assertThat(sim.energyJ()).isZero();
    }

    @Test
    void idleDrawIsChargedOnlyWhileOnline() {
        DeviceProfile idle = new DeviceProfile(100, 1000, 1000, 0, new EnergyModel(0, 0, 0, 2.0), 0);
        Harness h = new Harness().node(new NodeSpec(A, NodeRole.DEVICE, idle,
                IntervalAvailability.between(1_000, 4_000)), passive());
        Simulation sim = h.build();
        sim.run();
        sim.finish();
        assertThat(sim.energyJ()).isCloseTo(6.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void timersDieWithACrashAndStartIsDeliveredOnRecovery() {
        Harness h = new Harness().node(Devices.device("a"), (e, t) -> e instanceof Event.Start
                ? List.of(new Action.SetTimer("tick", t + 3_000)) : List.of());
        h.faults = new FaultSchedule(List.of(new Fault.NodeCrash(A, 1_000, 2_000, true)));
        h.run();
        ScriptedNode a = h.node(A);
        assertThat(h.lives.get(A)).hasSize(1);
        assertThat(a.seen(Event.Start.class)).extracting(ScriptedNode.Seen::atMs).containsExactly(0L, 2_000L);
        // the timer armed at 0 for 3000 died with the crash; the one armed at 2000 fires at 5000
        assertThat(a.seen(Event.TimerFired.class)).extracting(ScriptedNode.Seen::atMs).containsExactly(5_000L);
    }

    @Test
    void cancelledTimerDoesNotFireAndResettingReplacesIt() {
        Harness h = new Harness().node(Devices.device("a"), (e, t) -> e instanceof Event.Start
                ? List.of(new Action.SetTimer("x", 1_000), new Action.SetTimer("x", 2_000),
                        new Action.SetTimer("y", 1_500), new Action.CancelTimer("y"))
                : List.of());
        h.run();
        assertThat(h.node(A).seen(Event.TimerFired.class)).extracting(ScriptedNode.Seen::atMs).containsExactly(2_000L);
    }

    @Test
    void crashWithoutKeptStateRebuildsTheProtocolNode() {
        Harness h = new Harness().node(Devices.device("a"), passive());
        h.faults = new FaultSchedule(List.of(new Fault.NodeCrash(A, 1_000, 2_000, false)));
        h.run();
        assertThat(h.lives.get(A)).hasSize(2);
        assertThat(h.lives.get(A).get(1).seen(Event.Start.class)).extracting(ScriptedNode.Seen::atMs)
                .containsExactly(2_000L);
    }

    @Test
    void aggregatorOutageTakesDownAggregatorsOnly() {
        Harness h = new Harness().node(Devices.aggregator("a"), passive()).node(Devices.device("b"), passive());
        h.faults = new FaultSchedule(List.of(new Fault.AggregatorOutage(3_000, 6_000)));
        List<Boolean> aggregatorUp = new ArrayList<>();
        List<Integer> active = new ArrayList<>();
        h.observer = new SimObserver() {
            @Override
            public void onTick(SimulationView view) {
                aggregatorUp.add(view.isUp(0));
                active.add(view.activeDevices());
            }
        };
        h.run();
        // ticks at 1..9 s
        assertThat(aggregatorUp).containsExactly(true, true, false, false, false, true, true, true, true);
        assertThat(active).containsOnly(1);
        assertThat(h.node(A).seen(Event.Start.class)).extracting(ScriptedNode.Seen::atMs).containsExactly(0L, 6_000L);
    }

    @Test
    void batteryRunningOutTakesTheDeviceOfflineForGood() {
        DeviceProfile smallBattery = new DeviceProfile(100, 1000, 1000, 0, new EnergyModel(1, 0, 0, 0), 120);
        Harness h = new Harness().node(new NodeSpec(A, NodeRole.DEVICE, smallBattery,
                io.starling.sim.device.Availability.ALWAYS), (e, t) -> e instanceof Event.Start
                || e instanceof Event.TrainingDone
                ? List.of(new Action.StartTraining(1, ParamVector.of(0), TrainConfig.defaults())) : List.of());
        Simulation sim = h.run();
        // each training is 50 samples = 50 J: after the third the 120 J battery is empty
        assertThat(h.node(A).seen(Event.TrainingDone.class)).hasSize(2);
        assertThat(sim.isUp(0)).isFalse();
        assertThat(sim.nodeEnergyJ(0)).isEqualTo(150.0);
    }

    @Test
    void committingAnOlderVersionViolatesAnInvariantNamingTheSeed() {
        Harness h = new Harness().node(Devices.device("a"), (e, t) -> e instanceof Event.Start
                ? List.of(new Action.ModelCommitted(5, ParamVector.of(1), 1), new Action.ModelCommitted(4, ParamVector.of(1), 1))
                : List.of());
        assertThatThrownBy(h::run).isInstanceOf(InvariantViolationException.class)
                .hasMessageContaining("seed " + SEED).hasMessageContaining("version 4 after version 5");
    }

    @Test
    void committingANonFiniteModelViolatesAnInvariant() {
        Harness h = new Harness().node(Devices.device("a"), (e, t) -> e instanceof Event.Start
                ? List.of(new Action.ModelCommitted(1, ParamVector.of(1, Float.NaN), 1)) : List.of());
        assertThatThrownBy(h::run).isInstanceOf(InvariantViolationException.class).hasMessageContaining("non-finite");
    }

    @Test
    void sendingToAnUnknownNodeViolatesAnInvariant() {
        Harness h = new Harness().node(Devices.device("a"), sendOnStart(NodeId.of("nobody"), 1));
        assertThatThrownBy(h::run).isInstanceOf(InvariantViolationException.class).hasMessageContaining("unknown node nobody");
    }

    @Test
    void customInvariantIsCheckedAfterEveryEvent() {
        List<NodeSpec> specs = List.of(Devices.device("a"));
        Invariant atMostTwoEvents = v -> v.eventsProcessed() > 2 ? "more than two events" : null;
        Simulation sim = new Simulation(new SimulationConfig(SEED, 10_000, 1_000, true, List.of(atMostTwoEvents)),
                specs, (i, s, r) -> ScriptedNode.passive(s.id()), (i, b, c, n) -> null, FaultSchedule.NONE, SimObserver.NONE);
        assertThatThrownBy(sim::run).isInstanceOf(InvariantViolationException.class)
                .hasMessageContaining("more than two events").hasMessageContaining("3000 ms");
    }

    @Test
    void sameSeedGivesTheSameEventTrace() {
        assertThat(lossyTrace(11)).isEqualTo(lossyTrace(11)).isNotEqualTo(lossyTrace(12));
    }

    private static List<Long> lossyTrace(long seed) {
        List<Long> arrivals = new ArrayList<>();
        List<NodeSpec> specs = List.of(Devices.device("a"), Devices.device("b"));
        Simulation sim = new Simulation(SimulationConfig.of(seed, 60_000, 10_000), specs, (i, spec, rng) ->
                new ScriptedNode(spec.id(), (e, t) -> {
                    if (e instanceof Event.MessageReceived) {
                        arrivals.add(t);
                    }
                    NodeId peer = spec.id().equals(A) ? B : A;
                    return e instanceof Event.Start || e instanceof Event.TimerFired
                            ? List.of(new Action.Send(peer, new Note(spec.id(), 10 + rng.nextInt(500), "")),
                                    new Action.SetTimer("t", t + 100 + rng.nextInt(200)))
                            : List.of();
                }), (i, b, c, n) -> null,
                new FaultSchedule(List.of(new Fault.MessageLoss(0.3, 0, 60_000))), SimObserver.NONE);
        sim.run();
        return arrivals;
    }
}
