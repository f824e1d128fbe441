package io.starling.protocol.testkit;

import io.starling.core.model.TrainConfig;
import io.starling.core.model.TrainResult;
import io.starling.core.param.ParamVector;
import io.starling.protocol.Action;
import io.starling.protocol.Event;
import io.starling.protocol.Message;
import io.starling.protocol.NodeId;
import io.starling.protocol.Observation;
import io.starling.protocol.ProtocolNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * A minimal discrete-event loop that pairs protocol nodes in memory, in the spirit of h11's
 * tests: it carries out the nodes' actions (sends with a fixed latency, timers, training through
 * a test {@link Trainer}) and records everything they did. Deterministic: events are ordered by
 * (time, sequence). Not the simulator; just enough to test the state machines together.
 */
public final class InMemoryNetwork {
    /** Produces the result of a {@link Action.StartTraining} request. */
    public interface Trainer {
        TrainingOutcome train(NodeId node, ParamVector base, TrainConfig config);
    }

    public record TrainingOutcome(ParamVector model, TrainResult result) {
    }

    /** One action a node returned, at the time it returned it. */
    public record Logged(long atMs, NodeId node, Action action) {
    }

    private sealed interface Payload {
    }

    private record Delivery(NodeId target, Event event, String timerKey, long timerGeneration) implements Payload {
    }

    private record Task(Runnable task) implements Payload {
    }

    private record Scheduled(long atMs, long seq, Payload payload) {
    }

    private static final int MAX_EVENTS = 2_000_000;

    private final Map<NodeId, ProtocolNode> nodes = new LinkedHashMap<>();
    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>(
            Comparator.comparingLong(Scheduled::atMs).thenComparingLong(Scheduled::seq));
    private final Map<NodeId, Map<String, Long>> timerGenerations = new HashMap<>();
    private final Set<NodeId> unreachable = new HashSet<>();
    private final Map<NodeId, Long> trainingMs = new HashMap<>();
    private final List<Logged> log = new ArrayList<>();
    private final Trainer trainer;
    private final long latencyMs;
    private long defaultTrainingMs = 100;
    private long nowMs;
    private long seq;
    private long bytesSent;

    public InMemoryNetwork(Trainer trainer, long latencyMs) {
        this.trainer = trainer;
        this.latencyMs = latencyMs;
    }

    public <T extends ProtocolNode> T add(T node) {
        nodes.put(node.id(), node);
        return node;
    }

    public long nowMs() {
        return nowMs;
    }

    public long bytesSent() {
        return bytesSent;
    }

    public void setTrainingMs(NodeId node, long ms) {
        trainingMs.put(node, ms);
    }

    public void setDefaultTrainingMs(long ms) {
        defaultTrainingMs = ms;
    }

    /** While unreachable, every message to or from {@code node} fails with {@link Event.DeliveryFailed}. */
    public void setUnreachable(NodeId node, boolean value) {
        if (value) {
            unreachable.add(node);
        } else {
            unreachable.remove(node);
        }
    }

    /** Runs {@code task} at virtual time {@code atMs}. */
    public void at(long atMs, Runnable task) {
        queue.add(new Scheduled(atMs, seq++, new Task(task)));
    }

    /** Delivers {@link Event.Start} to every node now, in the order they were added. */
    public void startAll() {
        for (NodeId id : nodes.keySet()) {
            schedule(nowMs, id, new Event.Start());
        }
    }

    /** Hands {@code event} to {@code node} right now and carries out its actions; returns them. */
    public List<Action> deliverNow(NodeId node, Event event) {
        List<Action> actions = nodes.get(node).handle(event, nowMs);
        perform(node, actions);
        return actions;
    }

    /** Processes every event due at or before {@code untilMs}, then sets the clock to it. */
    public void runUntil(long untilMs) {
        int events = 0;
        while (!queue.isEmpty() && queue.peek().atMs() <= untilMs) {
            if (++events > MAX_EVENTS) {
                throw new IllegalStateException("more than " + MAX_EVENTS + " events before t=" + untilMs + " ms");
            }
            Scheduled next = queue.poll();
            nowMs = next.atMs();
            switch (next.payload()) {
                case Task t -> t.task().run();
                case Delivery d -> {
                    if (d.timerKey() != null && currentGeneration(d.target(), d.timerKey()) != d.timerGeneration()) {
                        continue;
                    }
                    deliverNow(d.target(), d.event());
                }
            }
        }
        nowMs = Math.max(nowMs, untilMs);
    }

    private void perform(NodeId node, List<Action> actions) {
        for (Action action : actions) {
            log.add(new Logged(nowMs, node, action));
            switch (action) {
                case Action.Send s -> send(node, s.to(), s.message());
                case Action.SetTimer t -> {
                    long gen = bumpGeneration(node, t.key());
                    queue.add(new Scheduled(Math.max(nowMs, t.atMs()), seq++,
                            new Delivery(node, new Event.TimerFired(t.key()), t.key(), gen)));
                }
                case Action.CancelTimer c -> bumpGeneration(node, c.key());
                case Action.StartTraining st -> {
                    TrainingOutcome outcome = trainer.train(node, st.base().copy(), st.config());
                    schedule(nowMs + trainingMs.getOrDefault(node, defaultTrainingMs), node,
                            new Event.TrainingDone(st.requestId(), outcome.model(), outcome.result()));
                }
                case Action.ModelCommitted c -> {
                }
                case Action.Report r -> {
                }
            }
        }
    }

    private void send(NodeId from, NodeId to, Message message) {
        bytesSent += message.wireBytes();
        if (unreachable.contains(to) || unreachable.contains(from) || !nodes.containsKey(to)) {
            schedule(nowMs + latencyMs, from, new Event.DeliveryFailed(to, message, "unreachable"));
        } else {
            schedule(nowMs + latencyMs, to, new Event.MessageReceived(from, message));
        }
    }

    private void schedule(long atMs, NodeId target, Event event) {
        queue.add(new Scheduled(atMs, seq++, new Delivery(target, event, null, 0)));
    }

    private long bumpGeneration(NodeId node, String key) {
        return timerGenerations.computeIfAbsent(node, n -> new HashMap<>()).merge(key, 1L, Long::sum);
    }

    private long currentGeneration(NodeId node, String key) {
        return timerGenerations.getOrDefault(node, Map.of()).getOrDefault(key, 0L);
    }

    public List<Logged> log() {
        return List.copyOf(log);
    }

    /** Actions of {@code type} returned by {@code node}, in order. */
    public <A extends Action> List<A> actions(NodeId node, Class<A> type) {
        return log.stream().filter(l -> l.node().equals(node)).map(Logged::action)
                .filter(type::isInstance).map(type::cast).toList();
    }

    public List<Action.ModelCommitted> commits(NodeId node) {
        return actions(node, Action.ModelCommitted.class);
    }

    /** Observations of {@code type} reported by {@code node}, in order. */
    public <O extends Observation> List<O> observations(NodeId node, Class<O> type) {
        return actions(node, Action.Report.class).stream().map(Action.Report::observation)
                .filter(type::isInstance).map(type::cast).toList();
    }

    /** Messages of {@code type} that {@code node} sent, in order (delivered or not). */
    public <M extends Message> List<M> sent(NodeId node, Class<M> type) {
        return actions(node, Action.Send.class).stream().map(Action.Send::message)
                .filter(type::isInstance).map(type::cast).toList();
    }

    /** Sends by {@code node}, with their destinations. */
    public List<Action.Send> sends(NodeId node) {
        return actions(node, Action.Send.class);
    }
}
