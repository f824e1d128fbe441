package io.starling.protocol.sync;

import io.starling.core.aggregate.AggregationRule;
import io.starling.core.aggregate.Contribution;
import io.starling.core.param.ParamVector;
import io.starling.protocol.Action;
import io.starling.protocol.Event;
import io.starling.protocol.Message;
import io.starling.protocol.NodeId;
import io.starling.protocol.Observation;
import io.starling.protocol.ProtocolNode;
import io.starling.protocol.Rng;
import io.starling.protocol.message.ClientUpdate;
import io.starling.protocol.message.GlobalModel;
import io.starling.protocol.message.Join;
import io.starling.protocol.message.MessageValidator;
import io.starling.protocol.message.ProtocolMessage;
import io.starling.protocol.message.ReceiverContext;
import io.starling.protocol.message.Rejection;
import io.starling.protocol.message.RejectionReason;
import io.starling.protocol.message.Signature;
import io.starling.protocol.message.UpdateAccepted;
import io.starling.protocol.message.UpdateRejected;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Synchronous FedAvg (McMahan et al.): rounds in which the server asks a random fraction C of
 * the known clients to train on the current global model, waits until every asked client
 * answered or the round deadline passed, drops the stragglers, combines the updates with its
 * {@link AggregationRule} and commits the next version.
 *
 * <p>States ({@link SyncServerState}): {@code NEW -> WAITING_FOR_CLIENTS <-> COLLECTING}, and
 * {@code COLLECTING -> COLLECTING} from one round to the next. Only updates from clients asked
 * in the open round, trained on the current version, are accepted; acknowledgements go out after
 * the commit. A round in which fewer than {@code minUpdates} arrived commits nothing and the next
 * round starts with a fresh sample, so the version never moves backwards or skips.
 */
public final class SyncServer implements ProtocolNode {
    public static final String DEADLINE_TIMER = "sync.round-deadline";

    private final NodeId id;
    private final SyncConfig config;
    private final AggregationRule rule;
    private final Rng rng;
    private final Set<NodeId> knownClients = new TreeSet<>();

    private SyncServerState state = SyncServerState.NEW;
    private ParamVector global;
    private long version;
    private double age;
    private long round;
    private final Set<NodeId> selected = new LinkedHashSet<>();
    private final Set<NodeId> unreachable = new LinkedHashSet<>();
    private final Map<NodeId, Received> received = new LinkedHashMap<>();

    private record Received(String updateId, Contribution contribution) {
    }

    public SyncServer(NodeId id, SyncConfig config, ParamVector initialModel, AggregationRule rule, Rng rng,
                      Collection<NodeId> initialClients) {
        this.id = Objects.requireNonNull(id, "id");
        this.config = Objects.requireNonNull(config, "config");
        this.rule = Objects.requireNonNull(rule, "rule");
        this.rng = Objects.requireNonNull(rng, "rng");
        this.global = initialModel.copy().requireSize("initial model", config.paramCount()).requireFinite("initial model");
        this.knownClients.addAll(initialClients);
    }

    @Override
    public NodeId id() {
        return id;
    }

    public SyncServerState state() {
        return state;
    }

    public long version() {
        return version;
    }

    /** Rounds started so far (the open one included). */
    public long round() {
        return round;
    }

    public ParamVector globalModel() {
        return global.copy();
    }

    /** Clients asked in the open round. */
    public Set<NodeId> selectedClients() {
        return Set.copyOf(selected);
    }

    public Set<NodeId> knownClients() {
        return Set.copyOf(knownClients);
    }

    @Override
    public List<Action> handle(Event event, long nowMs) {
        List<Action> out = new ArrayList<>();
        switch (event) {
            case Event.Start s -> {
                if (state == SyncServerState.COLLECTING) {
                    // Restarted mid-round: timers did not survive, so give the open round a fresh deadline.
                    out.add(new Action.SetTimer(DEADLINE_TIMER, nowMs + config.roundDeadlineMs()));
                } else {
                    maybeStartRound(out, nowMs);
                }
            }
            case Event.MessageReceived m -> onMessage(m.from(), m.message(), nowMs, out);
            case Event.TimerFired t -> {
                if (t.key().equals(DEADLINE_TIMER) && state == SyncServerState.COLLECTING) {
                    closeRound(out, nowMs);
                }
            }
            case Event.TrainingDone d -> {
                // The server does not train.
            }
            case Event.DeliveryFailed f -> {
                if (state == SyncServerState.COLLECTING && f.message() instanceof GlobalModel g
                        && g.version() == version && selected.contains(f.to())) {
                    unreachable.add(f.to());
                    maybeCloseEarly(out, nowMs);
                }
            }
        }
        return out;
    }

    private void onMessage(NodeId from, Message message, long nowMs, List<Action> out) {
        if (!(message instanceof ProtocolMessage pm)) {
            report(out, from, message.getClass().getSimpleName(),
                    new Rejection(RejectionReason.UNEXPECTED_MESSAGE, "not a Starling protocol message"));
            return;
        }
        // Synchronous rounds accept only updates trained on the current version: staleness bound 0.
        ReceiverContext ctx = new ReceiverContext(config.taskId(), config.paramCount(), version, 0);
        Optional<Rejection> rejection = MessageValidator.validate(from, pm, ctx);
        if (rejection.isPresent()) {
            refuse(out, from, pm, rejection.get());
            return;
        }
        switch (pm) {
            case Join j -> {
                knownClients.add(from);
                if (state == SyncServerState.WAITING_FOR_CLIENTS) {
                    maybeStartRound(out, nowMs);
                } else if (state == SyncServerState.COLLECTING && selected.contains(from)
                        && !received.containsKey(from)) {
                    // A client asked for this round that joins again (it restarted, or its link broke) lost
                    // the round's model with its old connection: send it again, and count it as reachable.
                    unreachable.remove(from);
                    out.add(new Action.Send(from, new GlobalModel(id, Signature.NONE, config.taskId(), version, global,
                            age)));
                }
            }
            case ClientUpdate u -> onUpdate(from, u, nowMs, out);
            default -> refuse(out, from, pm, new Rejection(RejectionReason.UNEXPECTED_MESSAGE,
                    "a synchronous FedAvg server does not handle " + pm.type()));
        }
    }

    private void onUpdate(NodeId from, ClientUpdate u, long nowMs, List<Action> out) {
        if (state != SyncServerState.COLLECTING || !selected.contains(from)) {
            refuse(out, from, u, new Rejection(RejectionReason.NOT_SELECTED,
                    from + " was not asked to contribute to round " + round));
            return;
        }
        if (received.containsKey(from)) {
            refuse(out, from, u, new Rejection(RejectionReason.DUPLICATE_UPDATE,
                    from + " already contributed " + received.get(from).updateId() + " to round " + round));
            return;
        }
        received.put(from, new Received(u.updateId(), Contribution.ofClient(u.params(), u.samples())));
        out.add(new Action.Report(new Observation.UpdateAccepted(from, u.updateId(), 0)));
        maybeCloseEarly(out, nowMs);
    }

    private void maybeStartRound(List<Action> out, long nowMs) {
        if (knownClients.size() < config.minClients()) {
            transitionToWaitingForClients();
            return;
        }
        transitionToCollecting(out, nowMs);
    }

    private void transitionToWaitingForClients() {
        if (state == SyncServerState.COLLECTING) {
            throw new IllegalStateException("cannot wait for clients while round " + round + " is open");
        }
        state = SyncServerState.WAITING_FOR_CLIENTS;
    }

    private void transitionToCollecting(List<Action> out, long nowMs) {
        if (knownClients.size() < config.minClients()) {
            throw new IllegalStateException("a round needs " + config.minClients() + " known clients, have "
                    + knownClients.size());
        }
        state = SyncServerState.COLLECTING;
        round++;
        selected.clear();
        unreachable.clear();
        received.clear();
        selected.addAll(sampleClients());
        GlobalModel model = new GlobalModel(id, Signature.NONE, config.taskId(), version, global, age);
        for (NodeId client : selected) {
            out.add(new Action.Send(client, model));
        }
        out.add(new Action.SetTimer(DEADLINE_TIMER, nowMs + config.roundDeadlineMs()));
    }

    /** max(minClients, ceil(C * known)) distinct clients, drawn uniformly with the node's Rng. */
    private List<NodeId> sampleClients() {
        List<NodeId> pool = new ArrayList<>(knownClients);
        int k = (int) Math.ceil(config.clientFraction() * pool.size());
        k = Math.min(pool.size(), Math.max(config.minClients(), k));
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(pool.size() - i);
            NodeId tmp = pool.get(i);
            pool.set(i, pool.get(j));
            pool.set(j, tmp);
        }
        return pool.subList(0, k);
    }

    private void maybeCloseEarly(List<Action> out, long nowMs) {
        if (received.size() + unreachable.size() >= selected.size()) {
            out.add(new Action.CancelTimer(DEADLINE_TIMER));
            closeRound(out, nowMs);
        }
    }

    private void closeRound(List<Action> out, long nowMs) {
        if (state != SyncServerState.COLLECTING) {
            throw new IllegalStateException("no round is open");
        }
        List<NodeId> dropped = selected.stream().filter(c -> !received.containsKey(c)).toList();
        boolean commit = received.size() >= config.minUpdates();
        if (commit) {
            List<Contribution> contributions = received.values().stream().map(Received::contribution).toList();
            ParamVector next = rule.aggregate(global, contributions);
            next.requireSize("aggregated model", config.paramCount()).requireFinite("aggregated model");
            global = next;
            version++;
            age += received.size();
            out.add(new Action.ModelCommitted(version, global.copy(), age));
            for (Map.Entry<NodeId, Received> e : received.entrySet()) {
                out.add(new Action.Send(e.getKey(),
                        new UpdateAccepted(id, Signature.NONE, e.getValue().updateId(), config.taskId(), version)));
            }
        }
        out.add(new Action.Report(new Observation.RoundClosed(round, selected.size(), received.size(), dropped, commit)));
        state = SyncServerState.WAITING_FOR_CLIENTS;
        maybeStartRound(out, nowMs);
    }

    private void refuse(List<Action> out, NodeId from, ProtocolMessage m, Rejection rejection) {
        report(out, from, m.type(), rejection);
        if (m instanceof ClientUpdate u) {
            out.add(new Action.Send(from, new UpdateRejected(id, Signature.NONE, u.updateId(), u.taskId(),
                    rejection, version)));
        }
    }

    private static void report(List<Action> out, NodeId from, String type, Rejection rejection) {
        out.add(new Action.Report(new Observation.MessageRejected(from, type, rejection)));
    }
}
