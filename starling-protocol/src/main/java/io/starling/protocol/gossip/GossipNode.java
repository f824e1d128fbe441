package io.starling.protocol.gossip;

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
import io.starling.protocol.TrainingRequests;
import io.starling.protocol.message.GossipModel;
import io.starling.protocol.message.MessageValidator;
import io.starling.protocol.message.ProtocolMessage;
import io.starling.protocol.message.ReceiverContext;
import io.starling.protocol.message.Rejection;
import io.starling.protocol.message.RejectionReason;
import io.starling.protocol.message.Signature;
import io.starling.protocol.sampling.CyclonSampler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Gossip learning (Hegedűs, Danner, Jelasity 2019): no aggregator. Every period Δ a node pushes
 * its current model and age to a random peer from {@link CyclonSampler} peer sampling. A node
 * receiving a model merges it with its own by age-weighted averaging,
 * {@code w = (a_local w_local + a_recv w_recv) / (a_local + a_recv)}, new age
 * {@code max(a_local, a_recv)}, then trains the merged model locally; each local training adds
 * one to the age. The merge is an injected {@link AggregationRule} fed two
 * {@link Contribution.Origin#PEER} contributions with their ages (the doubly weighted rule with
 * both weights equal reduces to exactly this).
 *
 * <p>Training takes time outside the state machine, so models arriving during training are
 * merged into an inbox and folded in when training ends. A peer that cannot be reached is dropped
 * from the view. States: {@link GossipState}.
 */
public final class GossipNode implements ProtocolNode {
    public static final String PUSH_TIMER = "gossip.push";

    private final NodeId id;
    private final GossipConfig config;
    private final AggregationRule mergeRule;
    private final Rng rng;
    private final TrainingRequests requests;
    private final CyclonSampler sampler;

    private GossipState state = GossipState.NEW;
    private ParamVector model;
    private double age;
    private ParamVector inbox;
    private double inboxAge;
    private NodeId inboxFrom;
    private long trainingRequestId = -1;
    private long localVersion;

    public GossipNode(NodeId id, GossipConfig config, ParamVector initialModel, double initialAge,
                      AggregationRule mergeRule, Rng rng, Collection<NodeId> bootstrapPeers, TrainingRequests requests) {
        this.id = Objects.requireNonNull(id, "id");
        this.config = Objects.requireNonNull(config, "config");
        this.mergeRule = Objects.requireNonNull(mergeRule, "mergeRule");
        this.rng = Objects.requireNonNull(rng, "rng");
        this.requests = Objects.requireNonNull(requests, "requests");
        this.model = initialModel.copy().requireSize("initial model", config.paramCount()).requireFinite("initial model");
        if (!(initialAge >= 0) || Double.isInfinite(initialAge)) {
            throw new IllegalArgumentException("initialAge must be a finite number >= 0, got " + initialAge);
        }
        this.age = initialAge;
        this.sampler = new CyclonSampler(id, config.sampling(), rng.split(), bootstrapPeers);
    }

    public GossipNode(NodeId id, GossipConfig config, ParamVector initialModel, AggregationRule mergeRule, Rng rng,
                      Collection<NodeId> bootstrapPeers) {
        this(id, config, initialModel, 0, mergeRule, rng, bootstrapPeers, new TrainingRequests());
    }

    @Override
    public NodeId id() {
        return id;
    }

    public GossipState state() {
        return state;
    }

    public ParamVector model() {
        return model.copy();
    }

    public double age() {
        return age;
    }

    public CyclonSampler sampler() {
        return sampler;
    }

    /** Whether {@code requestId} is the training this node waits for. */
    public boolean awaitsTraining(long requestId) {
        return state == GossipState.TRAINING && requestId == trainingRequestId;
    }

    @Override
    public List<Action> handle(Event event, long nowMs) {
        if (CyclonSampler.handles(event)) {
            return sampler.handle(event, nowMs);
        }
        List<Action> out = new ArrayList<>();
        switch (event) {
            case Event.Start s -> {
                out.addAll(sampler.handle(event, nowMs));
                if (state == GossipState.NEW) {
                    state = GossipState.IDLE;
                    armPush(out, nowMs + 1 + rng.nextInt((int) Math.min(Integer.MAX_VALUE, config.periodMs())));
                } else if (state != GossipState.PAUSED) {
                    // Restarted: a training in flight is lost with the old process, keep the model.
                    state = GossipState.IDLE;
                    trainingRequestId = -1;
                    armPush(out, nowMs + config.periodMs());
                }
            }
            case Event.TimerFired t -> {
                if (t.key().equals(PUSH_TIMER) && (state == GossipState.IDLE || state == GossipState.TRAINING)) {
                    push(out);
                    armPush(out, nowMs + config.periodMs());
                }
            }
            case Event.MessageReceived m -> onMessage(m.from(), m.message(), out);
            case Event.TrainingDone d -> {
                if (awaitsTraining(d.requestId())) {
                    onTrained(d, out);
                }
            }
            case Event.DeliveryFailed f -> {
                if (f.message() instanceof GossipModel) {
                    sampler.remove(f.to());
                }
            }
        }
        return out;
    }

    /** Stops pushing and training (hybrid client going back to the aggregator). Valid in any state. */
    public List<Action> pause() {
        state = GossipState.PAUSED;
        trainingRequestId = -1;
        inbox = null;
        return List.of(new Action.CancelTimer(PUSH_TIMER));
    }

    /** Leaves {@code PAUSED}, continuing from {@code startModel} of age {@code startAge}. */
    public List<Action> resumeFrom(ParamVector startModel, double startAge, long nowMs) {
        if (state != GossipState.PAUSED) {
            throw new IllegalStateException("resumeFrom() needs state PAUSED, but the gossip node is " + state);
        }
        model = startModel.copy().requireSize("start model", config.paramCount()).requireFinite("start model");
        age = startAge;
        state = GossipState.IDLE;
        List<Action> out = new ArrayList<>();
        push(out);
        armPush(out, nowMs + config.periodMs());
        return out;
    }

    private void onMessage(NodeId from, Message message, List<Action> out) {
        if (!(message instanceof ProtocolMessage pm)) {
            reject(out, from, message.getClass().getSimpleName(),
                    new Rejection(RejectionReason.UNEXPECTED_MESSAGE, "not a Starling protocol message"));
            return;
        }
        ReceiverContext ctx = ReceiverContext.unbounded(config.taskId(), config.paramCount(), 0);
        Optional<Rejection> rejection = MessageValidator.validate(from, pm, ctx);
        if (rejection.isPresent()) {
            reject(out, from, pm.type(), rejection.get());
            return;
        }
        if (!(pm instanceof GossipModel g)) {
            reject(out, from, pm.type(), new Rejection(RejectionReason.UNEXPECTED_MESSAGE,
                    "a gossip node handles only GossipModel and shuffles, not " + pm.type()));
            return;
        }
        switch (state) {
            case IDLE -> {
                mergeIntoModel(from, g.params(), g.age(), out);
                transitionToTraining(out);
            }
            case TRAINING -> {
                if (inbox == null) {
                    inbox = g.params().copy();
                    inboxAge = g.age();
                } else {
                    inbox = merge(inbox, inboxAge, g.params(), g.age());
                    inboxAge = Math.max(inboxAge, g.age());
                }
                inboxFrom = from;
            }
            case NEW, PAUSED -> reject(out, from, pm.type(), new Rejection(RejectionReason.UNEXPECTED_MESSAGE,
                    "gossip is " + state));
        }
    }

    private void onTrained(Event.TrainingDone d, List<Action> out) {
        model = d.model().copy().requireSize("trained model", config.paramCount()).requireFinite("trained model");
        age += 1;
        localVersion++;
        out.add(new Action.ModelCommitted(localVersion, model.copy(), age));
        state = GossipState.IDLE;
        trainingRequestId = -1;
        if (inbox != null) {
            ParamVector pending = inbox;
            inbox = null;
            mergeIntoModel(inboxFrom, pending, inboxAge, out);
            transitionToTraining(out);
        }
    }

    private void mergeIntoModel(NodeId from, ParamVector received, double receivedAge, List<Action> out) {
        double localAge = age;
        model = merge(model, localAge, received, receivedAge);
        age = Math.max(localAge, receivedAge);
        out.add(new Action.Report(new Observation.ModelMerged(from, localAge, receivedAge, age)));
    }

    /** Age-weighted average through the merge rule; both are peers' models. */
    private ParamVector merge(ParamVector local, double localAge, ParamVector received, double receivedAge) {
        ParamVector merged = mergeRule.aggregate(local, List.of(
                Contribution.ofPeer(local, localAge), Contribution.ofPeer(received, receivedAge)));
        return merged.requireSize("merged model", config.paramCount()).requireFinite("merged model");
    }

    private void transitionToTraining(List<Action> out) {
        if (state != GossipState.IDLE) {
            throw new IllegalStateException("training starts from IDLE, not " + state);
        }
        state = GossipState.TRAINING;
        trainingRequestId = requests.next();
        out.add(new Action.StartTraining(trainingRequestId, model.copy(), config.train().withSeed(rng.nextLong())));
    }

    private void push(List<Action> out) {
        sampler.randomPeer().ifPresent(peer ->
                out.add(new Action.Send(peer, new GossipModel(id, Signature.NONE, config.taskId(), model.copy(), age))));
    }

    private static void armPush(List<Action> out, long atMs) {
        out.add(new Action.SetTimer(PUSH_TIMER, atMs));
    }

    private static void reject(List<Action> out, NodeId from, String type, Rejection rejection) {
        out.add(new Action.Report(new Observation.MessageRejected(from, type, rejection)));
    }
}
