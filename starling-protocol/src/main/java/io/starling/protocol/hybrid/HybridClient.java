package io.starling.protocol.hybrid;

import io.starling.core.aggregate.AggregationRule;
import io.starling.core.param.ParamVector;
import io.starling.protocol.Action;
import io.starling.protocol.Event;
import io.starling.protocol.NodeId;
import io.starling.protocol.Observation;
import io.starling.protocol.ProtocolNode;
import io.starling.protocol.Rng;
import io.starling.protocol.TrainingRequests;
import io.starling.protocol.client.AggregatorClient;
import io.starling.protocol.client.ClientState;
import io.starling.protocol.gossip.GossipNode;
import io.starling.protocol.message.GlobalModel;
import io.starling.protocol.message.GossipModel;
import io.starling.protocol.message.Join;
import io.starling.protocol.message.Signature;
import io.starling.protocol.sampling.CyclonSampler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The hybrid protocol's client (DecentraLearn): use the aggregator while it answers, fall back to
 * gossip learning with other clients when it does not, and hand the gossip-trained model back
 * when it returns.
 *
 * <p>Composition: an {@link AggregatorClient} (CONNECTED) and a {@link GossipNode} (FALLBACK)
 * share one {@link TrainingRequests} counter so training results route back to whoever asked;
 * Cyclon peer sampling runs in both modes so a fresh view is ready at fallback time.
 *
 * <p>Transitions:
 * <ul>
 *   <li>{@code CONNECTED -> FALLBACK} when a message to the aggregator fails
 *       ({@link Event.DeliveryFailed}) or no model arrives for {@code client.modelTimeoutMs}.
 *       Gossip starts from the newest model the client holds, with its age.</li>
 *   <li>{@code FALLBACK -> CONNECTED} when the aggregator answers a periodic {@link Join} probe
 *       with a {@link GlobalModel}: the client sends its gossip model and age to the aggregator
 *       as a {@link GossipModel}, which merges it by doubly weighted averaging and replies with
 *       the merged model, and resumes aggregator training.</li>
 * </ul>
 */
public final class HybridClient implements ProtocolNode {
    public static final String PROBE_TIMER = "hybrid.probe";

    private final NodeId id;
    private final HybridConfig config;
    private final ParamVector initialModel;
    private final AggregatorClient client;
    private final GossipNode gossip;
    private HybridState state = HybridState.NEW;

    public HybridClient(NodeId id, HybridConfig config, ParamVector initialModel, AggregationRule gossipMergeRule,
                        Rng rng, Collection<NodeId> peers) {
        this.id = Objects.requireNonNull(id, "id");
        this.config = Objects.requireNonNull(config, "config");
        this.initialModel = initialModel.copy();
        TrainingRequests requests = new TrainingRequests();
        this.client = new AggregatorClient(id, config.client(), rng.split(), requests);
        this.gossip = new GossipNode(id, config.gossip(), initialModel, 0, gossipMergeRule, rng.split(),
                peers.stream().filter(p -> !p.equals(config.client().aggregator())).toList(), requests);
        this.gossip.pause();
    }

    @Override
    public NodeId id() {
        return id;
    }

    public HybridState state() {
        return state;
    }

    public AggregatorClient aggregatorClient() {
        return client;
    }

    public GossipNode gossipNode() {
        return gossip;
    }

    @Override
    public List<Action> handle(Event event, long nowMs) {
        if (CyclonSampler.handles(event)) {
            return gossip.handle(event, nowMs);
        }
        List<Action> out = new ArrayList<>();
        switch (event) {
            case Event.Start s -> onStart(s, nowMs, out);
            case Event.TimerFired t -> onTimer(t.key(), nowMs, out);
            case Event.MessageReceived m -> {
                if (m.message() instanceof GossipModel) {
                    out.addAll(gossip.handle(event, nowMs));
                } else {
                    if (state == HybridState.FALLBACK && m.message() instanceof GlobalModel
                            && m.from().equals(aggregator())) {
                        transitionToConnected(nowMs, out);
                    }
                    out.addAll(client.handle(event, nowMs));
                }
            }
            case Event.TrainingDone d -> {
                if (client.awaitsTraining(d.requestId())) {
                    out.addAll(client.handle(event, nowMs));
                } else if (gossip.awaitsTraining(d.requestId())) {
                    out.addAll(gossip.handle(event, nowMs));
                }
            }
            case Event.DeliveryFailed f -> {
                if (!f.to().equals(aggregator())) {
                    out.addAll(gossip.handle(event, nowMs));
                } else if (state == HybridState.CONNECTED) {
                    transitionToFallback("aggregator unreachable: " + f.reason(), nowMs, out);
                }
            }
        }
        return out;
    }

    private void onStart(Event.Start start, long nowMs, List<Action> out) {
        switch (state) {
            case NEW, CONNECTED -> {
                state = HybridState.CONNECTED;
                out.addAll(client.handle(start, nowMs));
                out.addAll(gossip.handle(start, nowMs));
            }
            case FALLBACK -> {
                out.addAll(gossip.handle(start, nowMs));
                out.add(new Action.SetTimer(PROBE_TIMER, nowMs + config.probePeriodMs()));
            }
        }
    }

    private void onTimer(String key, long nowMs, List<Action> out) {
        if (key.equals(AggregatorClient.MODEL_TIMEOUT_TIMER)) {
            if (state == HybridState.CONNECTED && client.state() == ClientState.WAITING_FOR_MODEL) {
                transitionToFallback("no model from the aggregator for " + config.client().modelTimeoutMs() + " ms",
                        nowMs, out);
            }
        } else if (key.equals(PROBE_TIMER)) {
            if (state == HybridState.FALLBACK) {
                out.add(new Action.Send(aggregator(), new Join(id, Signature.NONE, config.client().taskId())));
                out.add(new Action.SetTimer(PROBE_TIMER, nowMs + config.probePeriodMs()));
            }
        } else {
            out.addAll(gossip.handle(new Event.TimerFired(key), nowMs));
        }
    }

    private void transitionToFallback(String cause, long nowMs, List<Action> out) {
        if (state != HybridState.CONNECTED) {
            throw new IllegalStateException("fallback starts from CONNECTED, not " + state);
        }
        state = HybridState.FALLBACK;
        out.addAll(client.suspend());
        ParamVector start = client.latestModel().orElse(initialModel);
        out.addAll(gossip.resumeFrom(start, client.latestAge(), nowMs));
        out.add(new Action.SetTimer(PROBE_TIMER, nowMs + config.probePeriodMs()));
        out.add(new Action.Report(new Observation.ModeChanged(HybridState.CONNECTED.name(),
                HybridState.FALLBACK.name(), cause)));
    }

    private void transitionToConnected(long nowMs, List<Action> out) {
        if (state != HybridState.FALLBACK) {
            throw new IllegalStateException("reconnecting starts from FALLBACK, not " + state);
        }
        state = HybridState.CONNECTED;
        ParamVector gossipModel = gossip.model();
        double gossipAge = gossip.age();
        out.addAll(gossip.pause());
        out.add(new Action.CancelTimer(PROBE_TIMER));
        out.add(new Action.Send(aggregator(),
                new GossipModel(id, Signature.NONE, config.client().taskId(), gossipModel, gossipAge)));
        out.addAll(client.resume(nowMs));
        out.add(new Action.Report(new Observation.ModeChanged(HybridState.FALLBACK.name(),
                HybridState.CONNECTED.name(), "aggregator answered")));
    }

    private NodeId aggregator() {
        return config.client().aggregator();
    }
}
