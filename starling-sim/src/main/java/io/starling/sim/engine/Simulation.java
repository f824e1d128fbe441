package io.starling.sim.engine;

import io.starling.protocol.Action;
import io.starling.protocol.Event;
import io.starling.protocol.Message;
import io.starling.protocol.NodeId;
import io.starling.protocol.ProtocolNode;
import io.starling.protocol.Rng;
import io.starling.protocol.SplittableRng;
import io.starling.sim.fault.Fault;
import io.starling.sim.fault.FaultSchedule;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A deterministic discrete-event simulation of protocol nodes on simulated devices.
 *
 * <p>Design: one priority queue of events ordered by (virtual time, sequence number), so ties
 * resolve in scheduling order and a seed replays bit for bit. The protocol nodes are the real
 * sans-IO state machines; the simulation feeds them {@link Event}s and carries out their
 * {@link Action}s:
 * <ul>
 *   <li>{@code Send}: the message occupies the sender's uplink and the receiver's downlink for
 *       {@code bytes / min(up, down)} (FIFO per link), then arrives after both devices'
 *       latencies. It is lost with the fault schedule's loss rate (silently), and fails with
 *       {@code DeliveryFailed} to the sender when a partition separates the two or the receiver
 *       is down when it would arrive.</li>
 *   <li>{@code StartTraining}: the {@link LocalTrainer} trains for real at once; the result is
 *       delivered as {@code TrainingDone} after {@code samples / computeSpeed} virtual seconds,
 *       queued behind earlier training on the same device. Energy is charged on completion.</li>
 *   <li>{@code SetTimer}/{@code CancelTimer}: timers die with the node; {@code Start} re-arms.</li>
 *   <li>{@code ModelCommitted}: recorded, checked (versions never go backwards within a node's
 *       life) and passed to the {@link SimObserver}.</li>
 * </ul>
 * A node is down while crashed, offline by its availability trace, out of battery, or (for
 * aggregators) in an outage; going down drops its timers, its training in progress and every
 * event addressed to that life; coming up delivers {@code Start}. Each node's randomness is its
 * own stream split from the run's seed, in node order.
 */
public final class Simulation implements SimulationView {
    private record Scheduled(long timeMs, long seq, SimTask task) {
    }

    private final SimulationConfig config;
    private final List<NodeSpec> specs;
    private final NodeFactory factory;
    private final LocalTrainer trainer;
    private final FaultSchedule faults;
    private final SimObserver observer;
    private final NodeState[] nodes;
    private final Map<NodeId, Integer> indexById;
    private final Rng networkRng;
    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>((a, b) -> {
        int c = Long.compare(a.timeMs, b.timeMs);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    });
    private final Map<Fault.Partition, Map<NodeId, Integer>> partitionGroups = new HashMap<>();
    private long seq;
    private long nextTimerId;
    private long nowMs;
    private long events;
    private long globalVersion = -1;
    private long bytesUp;
    private long bytesDown;
    private double deviceActiveEnergyJ;
    private double deviceIdleEnergyJ;
    private double deviceIdleWattsUp;
    private long idleAccountedAtMs;
    private int activeDevices;
    private boolean started;
    private long lastEventMs;
    private long nextProgressMs;

    public Simulation(SimulationConfig config, List<NodeSpec> specs, NodeFactory factory, LocalTrainer trainer,
                      FaultSchedule faults, SimObserver observer) {
        this.config = config;
        this.specs = List.copyOf(specs);
        this.factory = factory;
        this.trainer = trainer;
        this.faults = faults;
        this.observer = observer;
        Rng root = SplittableRng.seeded(config.seed());
        this.networkRng = root.split();
        this.nodes = new NodeState[this.specs.size()];
        this.indexById = new HashMap<>(this.specs.size() * 2);
        for (int i = 0; i < nodes.length; i++) {
            NodeSpec spec = this.specs.get(i);
            if (indexById.put(spec.id(), i) != null) {
                throw new IllegalArgumentException("node id " + spec.id() + " appears twice");
            }
            nodes[i] = new NodeState(spec, root.split());
            nodes[i].downReasons = NodeState.OFFLINE; // brought up by start()
        }
    }

    /** Runs to {@link SimulationConfig#durationMs()}; a run can be continued only by a new instance. */
    public void run() {
        runUntil(config.durationMs(), null);
    }

    /**
     * Runs until virtual time {@code endMs} (inclusive of events at {@code endMs - 1}), calling
     * {@code progress} with this view every 64k events and every 0.5% of the run's virtual
     * duration; may be called repeatedly with a growing {@code endMs}.
     */
    public void runUntil(long endMs, java.util.function.Consumer<SimulationView> progress) {
        if (!started) {
            start();
        }
        while (!queue.isEmpty() && queue.peek().timeMs < endMs) {
            Scheduled s = queue.poll();
            if (s.timeMs < nowMs) {
                throw violation("event scheduled at " + s.timeMs + " ms runs after the clock reached " + nowMs);
            }
            nowMs = s.timeMs;
            events++;
            dispatch(s.task);
            if (config.checkInvariants()) {
                checkInvariants();
            }
            if (progress != null && ((events & 0xFFFF) == 0 || nowMs >= nextProgressMs)) {
                nextProgressMs = nowMs + Math.max(1, config.durationMs() / 200);
                progress.accept(this);
            }
        }
        if (endMs >= config.durationMs() && nowMs < config.durationMs()) {
            nowMs = config.durationMs();
        }
    }

    /** Reports the final state once; call after {@link #run()}. */
    public void finish() {
        nowMs = Math.max(nowMs, config.durationMs());
        observer.onTick(this);
    }

    private void start() {
        started = true;
        for (Fault.AggregatorOutage o : faults.ofType(Fault.AggregatorOutage.class)) {
            for (int i = 0; i < nodes.length; i++) {
                if (nodes[i].spec.role() == NodeRole.AGGREGATOR) {
                    schedule(o.fromMs(), new SimTask.FaultChange(i, NodeState.OUTAGE, true, false));
                    schedule(o.toMs(), new SimTask.FaultChange(i, NodeState.OUTAGE, false, false));
                }
            }
        }
        for (Fault.NodeCrash c : faults.ofType(Fault.NodeCrash.class)) {
            int i = requireIndex(c.node(), "the fault schedule");
            schedule(c.atMs(), new SimTask.FaultChange(i, NodeState.CRASHED, true, !c.keepState()));
            if (c.recoverAtMs() >= 0) {
                schedule(c.recoverAtMs(), new SimTask.FaultChange(i, NodeState.CRASHED, false, false));
            }
        }
        for (int i = 0; i < nodes.length; i++) {
            NodeState n = nodes[i];
            n.protocol = factory.create(i, n.spec, n.rng.split());
        }
        for (int i = 0; i < nodes.length; i++) {
            NodeState n = nodes[i];
            if (n.spec.availability().isAvailable(0)) {
                setReason(i, NodeState.OFFLINE, false);
            }
            scheduleAvailability(i, 0);
        }
        for (long t = 0; t <= config.durationMs(); t += config.reportIntervalMs()) {
            if (t > 0) {
                schedule(t, new SimTask.Tick());
            }
        }
    }

    private void scheduleAvailability(int i, long afterMs) {
        long next = nodes[i].spec.availability().nextChangeAfter(afterMs);
        if (next < config.durationMs()) {
            schedule(next, new SimTask.AvailabilityChange(i));
        }
    }

    private void schedule(long atMs, SimTask task) {
        queue.add(new Scheduled(atMs, seq++, task));
    }

    private void dispatch(SimTask task) {
        switch (task) {
            case SimTask.Deliver d -> deliver(d);
            case SimTask.NotifyFailure f -> {
                NodeState n = nodes[f.node()];
                if (n.isUp() && n.incarnation == f.incarnation()) {
                    handle(f.node(), new Event.DeliveryFailed(nodes[f.to()].spec.id(), f.message(), f.reason()));
                }
            }
            case SimTask.FireTimer t -> {
                NodeState n = nodes[t.node()];
                if (n.isUp() && n.timers != null) {
                    Long id = n.timers.get(t.key());
                    if (id != null && id == t.timerId()) {
                        n.timers.remove(t.key());
                        handle(t.node(), new Event.TimerFired(t.key()));
                    }
                }
            }
            case SimTask.CompleteTraining c -> completeTraining(c);
            case SimTask.AvailabilityChange a -> {
                boolean on = nodes[a.node()].spec.availability().isAvailable(nowMs);
                setReason(a.node(), NodeState.OFFLINE, !on);
                scheduleAvailability(a.node(), nowMs);
            }
            case SimTask.FaultChange f -> {
                if (f.down() && f.dropState()) {
                    nodes[f.node()].dropStateOnRecovery = true;
                }
                setReason(f.node(), f.reasonBit(), f.down());
            }
            case SimTask.Tick t -> {
                chargeBatteries();
                observer.onTick(this);
            }
        }
    }

    private void deliver(SimTask.Deliver d) {
        NodeState to = nodes[d.to()];
        String failure = null;
        if (!to.isUp()) {
            failure = "receiver " + to.spec.id() + " is down";
        } else if (faults.separated(nodes[d.from()].spec.id(), to.spec.id(), nowMs, partitionGroups)) {
            failure = "network partition between " + nodes[d.from()].spec.id() + " and " + to.spec.id();
        }
        if (failure != null) {
            NodeState from = nodes[d.from()];
            if (from.isUp() && from.incarnation == d.senderIncarnation()) {
                schedule(nowMs, new SimTask.NotifyFailure(d.from(), d.senderIncarnation(), d.to(), d.message(), failure));
            }
            return;
        }
        long bytes = d.message().wireBytes();
        chargeActive(d.to(), to.spec.profile().energy().receiveJ(bytes));
        if (to.spec.role() == NodeRole.DEVICE) {
            bytesDown += bytes;
        }
        if (to.isUp()) {
            handle(d.to(), new Event.MessageReceived(nodes[d.from()].spec.id(), d.message()));
        }
    }

    private void completeTraining(SimTask.CompleteTraining c) {
        NodeState n = nodes[c.node()];
        if (!n.isUp() || n.incarnation != c.incarnation()) {
            return;
        }
        chargeActive(c.node(), n.spec.profile().energy().trainingJ(c.result().samples()));
        observer.onTrainingDone(c.node(), c.result().samples(), Math.max(0, globalVersion - c.versionAtStart()), nowMs);
        if (n.isUp()) {
            handle(c.node(), new Event.TrainingDone(c.requestId(), c.model(), c.result()));
        }
    }

    private void setReason(int i, int bit, boolean down) {
        NodeState n = nodes[i];
        boolean wasUp = n.isUp();
        n.downReasons = down ? (n.downReasons | bit) : (n.downReasons & ~bit);
        if (n.spec.profile().hasBattery() && n.batteryEmpty(nowMs)) {
            n.downReasons |= NodeState.BATTERY;
        }
        boolean isUp = n.isUp();
        if (wasUp && !isUp) {
            goDown(i);
        } else if (!wasUp && isUp) {
            comeUp(i);
        }
    }

    private void goDown(int i) {
        NodeState n = nodes[i];
        accountIdle();
        n.idleEnergyJ += n.spec.profile().energy().idleWatts() * (nowMs - n.upSinceMs) / 1000.0;
        n.incarnation++;
        n.timers = null;
        if (n.spec.role() == NodeRole.DEVICE) {
            activeDevices--;
            deviceIdleWattsUp -= n.spec.profile().energy().idleWatts();
        }
    }

    private void comeUp(int i) {
        NodeState n = nodes[i];
        accountIdle();
        n.upSinceMs = nowMs;
        if (n.spec.role() == NodeRole.DEVICE) {
            activeDevices++;
            deviceIdleWattsUp += n.spec.profile().energy().idleWatts();
        }
        if (n.dropStateOnRecovery) {
            n.dropStateOnRecovery = false;
            n.protocol = factory.create(i, n.spec, n.rng.split());
            n.committedVersion = -1;
        }
        handle(i, new Event.Start());
    }

    private void accountIdle() {
        deviceIdleEnergyJ += deviceIdleWattsUp * (nowMs - idleAccountedAtMs) / 1000.0;
        idleAccountedAtMs = nowMs;
    }

    private void chargeActive(int i, double joules) {
        NodeState n = nodes[i];
        n.activeEnergyJ += joules;
        if (n.spec.role() == NodeRole.DEVICE) {
            deviceActiveEnergyJ += joules;
        }
        if (n.isUp() && n.batteryEmpty(nowMs)) {
            setReason(i, NodeState.BATTERY, true);
        }
    }

    private void chargeBatteries() {
        for (int i = 0; i < nodes.length; i++) {
            NodeState n = nodes[i];
            if (n.isUp() && n.batteryEmpty(nowMs)) {
                setReason(i, NodeState.BATTERY, true);
            }
        }
    }

    private void handle(int i, Event event) {
        NodeState n = nodes[i];
        if (!n.isUp()) {
            throw violation("event " + event.getClass().getSimpleName() + " delivered to node " + n.spec.id()
                    + " while it is down");
        }
        ProtocolNode protocol = n.protocol;
        List<Action> actions = protocol.handle(event, nowMs);
        int incarnation = n.incarnation;
        for (Action a : actions) {
            if (!n.isUp() || n.incarnation != incarnation) {
                return; // the node went down (battery) while acting; the rest never happens
            }
            execute(i, a);
        }
    }

    private void execute(int i, Action action) {
        NodeState n = nodes[i];
        switch (action) {
            case Action.Send s -> send(i, s.to(), s.message());
            case Action.SetTimer t -> {
                long id = nextTimerId++;
                n.timers().put(t.key(), id);
                schedule(Math.max(nowMs, t.atMs()), new SimTask.FireTimer(i, t.key(), id));
            }
            case Action.CancelTimer t -> {
                if (n.timers != null) {
                    n.timers.remove(t.key());
                }
            }
            case Action.StartTraining t -> {
                LocalTrainer.Outcome out = trainer.train(i, t.base(), t.config(), nowMs);
                long start = Math.max(nowMs, n.computeFreeAtMs);
                long done = start + n.spec.profile().trainingMs(out.result().samples());
                n.computeFreeAtMs = done;
                schedule(done, new SimTask.CompleteTraining(i, n.incarnation, t.requestId(), out.model(),
                        out.result(), globalVersion));
            }
            case Action.ModelCommitted c -> commit(i, c);
            case Action.Report r -> observer.onReport(i, r.observation(), nowMs);
        }
    }

    private void commit(int i, Action.ModelCommitted c) {
        NodeState n = nodes[i];
        if (config.checkInvariants()) {
            if (c.version() < n.committedVersion) {
                throw violation("node " + n.spec.id() + " committed version " + c.version()
                        + " after version " + n.committedVersion);
            }
            if (!c.model().isFinite()) {
                throw violation("node " + n.spec.id() + " committed version " + c.version()
                        + " with a non-finite parameter at index " + c.model().firstNonFinite());
            }
        }
        n.committedVersion = Math.max(n.committedVersion, c.version());
        globalVersion = Math.max(globalVersion, c.version());
        observer.onCommit(i, c.version(), c.model(), c.age(), nowMs);
    }

    private void send(int from, NodeId toId, Message message) {
        int to = requireIndex(toId, "node " + nodes[from].spec.id() + "'s Send");
        NodeState a = nodes[from];
        NodeState b = nodes[to];
        long bytes = message.wireBytes();
        if (bytes < 0) {
            throw violation(message.getClass().getSimpleName() + " reports " + bytes + " wire bytes");
        }
        chargeActive(from, a.spec.profile().energy().sendJ(bytes));
        if (a.spec.role() == NodeRole.DEVICE) {
            bytesUp += bytes;
        }
        long latencyMs = a.spec.profile().latencyMs() + b.spec.profile().latencyMs();
        double rate = Math.min(a.spec.profile().uplinkBytesPerS(), b.spec.profile().downlinkBytesPerS());
        long transferMs = (long) Math.ceil(bytes * 1000.0 / rate);
        if (faults.separated(a.spec.id(), b.spec.id(), nowMs, partitionGroups)) {
            schedule(nowMs + latencyMs, new SimTask.NotifyFailure(from, a.incarnation, to, message,
                    "network partition between " + a.spec.id() + " and " + b.spec.id()));
            return;
        }
        double loss = faults.lossRateAt(nowMs);
        if (loss > 0 && networkRng.nextDouble() < loss) {
            return;
        }
        long start = Math.max(nowMs, Math.max(a.uplinkFreeAtMs, b.downlinkFreeAtMs));
        long end = start + transferMs;
        a.uplinkFreeAtMs = end;
        b.downlinkFreeAtMs = end;
        schedule(end + latencyMs, new SimTask.Deliver(from, a.incarnation, to, message));
    }

    private int requireIndex(NodeId id, String where) {
        Integer i = indexById.get(id);
        if (i == null) {
            throw violation(where + " names unknown node " + id);
        }
        return i;
    }

    private void checkInvariants() {
        if (nowMs < lastEventMs) {
            throw violation("virtual time went back from " + lastEventMs + " to " + nowMs);
        }
        lastEventMs = nowMs;
        for (Invariant inv : config.extraInvariants()) {
            String problem = inv.check(this);
            if (problem != null) {
                throw violation(problem);
            }
        }
    }

    private InvariantViolationException violation(String what) {
        return new InvariantViolationException(config.seed(), nowMs, what);
    }

    @Override
    public long seed() {
        return config.seed();
    }

    @Override
    public long nowMs() {
        return nowMs;
    }

    @Override
    public int nodeCount() {
        return nodes.length;
    }

    @Override
    public NodeSpec spec(int index) {
        return nodes[index].spec;
    }

    @Override
    public boolean isUp(int index) {
        return nodes[index].isUp();
    }

    @Override
    public long committedVersion(int index) {
        return nodes[index].committedVersion;
    }

    @Override
    public int indexOf(NodeId id) {
        Integer i = indexById.get(id);
        return i == null ? -1 : i;
    }

    @Override
    public long bytesUp() {
        return bytesUp;
    }

    @Override
    public long bytesDown() {
        return bytesDown;
    }

    @Override
    public double energyJ() {
        return deviceActiveEnergyJ + deviceIdleEnergyJ + deviceIdleWattsUp * (nowMs - idleAccountedAtMs) / 1000.0;
    }

    @Override
    public int activeDevices() {
        return activeDevices;
    }

    @Override
    public long eventsProcessed() {
        return events;
    }

    /** Energy node {@code index} has spent so far, in joules. */
    public double nodeEnergyJ(int index) {
        return nodes[index].energyJ(nowMs);
    }

    /** Events still queued (for tests and progress). */
    public int pendingEvents() {
        return queue.size();
    }
}
