package io.starling.protocol.client;

import io.starling.core.param.ParamVector;
import io.starling.protocol.Action;
import io.starling.protocol.Event;
import io.starling.protocol.Message;
import io.starling.protocol.NodeId;
import io.starling.protocol.Observation;
import io.starling.protocol.ProtocolNode;
import io.starling.protocol.Rng;
import io.starling.protocol.TrainingRequests;
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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The client side of aggregator-based federated learning, shared by synchronous FedAvg and the
 * asynchronous protocols: join, then for every {@link GlobalModel} train locally and send the
 * result back as a {@link ClientUpdate}. The server decides the rhythm (rounds or continuous).
 *
 * <p>States ({@link ClientState}): {@code NEW -> WAITING_FOR_MODEL <-> TRAINING}, plus
 * {@code SUSPENDED} while a hybrid client gossips instead. A newer model arriving during training
 * abandons the stale training; results of abandoned requests are ignored. Updates stay in an
 * unacknowledged set until the aggregator acknowledges (after commit) or refuses them.
 */
public final class AggregatorClient implements ProtocolNode {
    /** Timer armed while waiting for a model; see {@link ClientConfig#modelTimeoutMs()}. */
    public static final String MODEL_TIMEOUT_TIMER = "client.model-timeout";
    /** Unacknowledged updates remembered at most; older ones are forgotten first. */
    static final int MAX_UNACKNOWLEDGED = 64;

    private final NodeId id;
    private final ClientConfig config;
    private final Rng rng;
    private final TrainingRequests requests;
    private final Map<String, Long> unacknowledged = new LinkedHashMap<>();

    private ClientState state = ClientState.NEW;
    private long knownVersion;
    private double knownAge;
    private ParamVector latestModel;
    private double latestAge;
    private long trainingRequestId = -1;
    private long trainingBaseVersion;
    private long updatesSent;

    public AggregatorClient(NodeId id, ClientConfig config, Rng rng, TrainingRequests requests) {
        this.id = Objects.requireNonNull(id, "id");
        this.config = Objects.requireNonNull(config, "config");
        this.rng = Objects.requireNonNull(rng, "rng");
        this.requests = Objects.requireNonNull(requests, "requests");
    }

    public AggregatorClient(NodeId id, ClientConfig config, Rng rng) {
        this(id, config, rng, new TrainingRequests());
    }

    @Override
    public NodeId id() {
        return id;
    }

    public ClientState state() {
        return state;
    }

    public ClientConfig config() {
        return config;
    }

    /** Newest global version this client has seen. */
    public long knownVersion() {
        return knownVersion;
    }

    /** The newest model this client holds (received or locally trained), if any. */
    public Optional<ParamVector> latestModel() {
        return Optional.ofNullable(latestModel).map(ParamVector::copy);
    }

    /** Age (updates absorbed) of {@link #latestModel()}. */
    public double latestAge() {
        return latestAge;
    }

    /** Update ids sent but neither acknowledged nor refused yet. */
    public List<String> unacknowledgedUpdates() {
        return List.copyOf(unacknowledged.keySet());
    }

    /** Whether {@code requestId} is the training this client currently waits for. */
    public boolean awaitsTraining(long requestId) {
        return state == ClientState.TRAINING && requestId == trainingRequestId;
    }

    @Override
    public List<Action> handle(Event event, long nowMs) {
        List<Action> out = new ArrayList<>();
        switch (event) {
            case Event.Start s -> {
                if (state == ClientState.WAITING_FOR_MODEL) {
                    armModelTimeout(out, nowMs); // restarted while waiting: ask again
                } else {
                    transitionToWaiting(out, nowMs); // a restart also abandons a training in flight
                }
                out.add(new Action.Send(config.aggregator(), new Join(id, Signature.NONE, config.taskId())));
            }
            case Event.MessageReceived m -> onMessage(m.from(), m.message(), nowMs, out);
            case Event.TimerFired t -> {
                if (t.key().equals(MODEL_TIMEOUT_TIMER) && state == ClientState.WAITING_FOR_MODEL) {
                    out.add(new Action.Send(config.aggregator(), new Join(id, Signature.NONE, config.taskId())));
                    armModelTimeout(out, nowMs);
                }
            }
            case Event.TrainingDone d -> {
                if (awaitsTraining(d.requestId())) {
                    onTrained(d, nowMs, out);
                }
            }
            case Event.DeliveryFailed f -> {
                // An undelivered update stays unacknowledged; the timeout re-joins and a fresh model follows.
            }
        }
        return out;
    }

    /**
     * Stops using the aggregator: cancels the timeout and ignores models and training results
     * until {@link #resume}. Used by the hybrid client when it falls back to gossip.
     */
    public List<Action> suspend() {
        state = ClientState.SUSPENDED;
        trainingRequestId = -1;
        return List.of(new Action.CancelTimer(MODEL_TIMEOUT_TIMER));
    }

    /** Leaves {@code SUSPENDED}: waits for a model again (without re-joining). */
    public List<Action> resume(long nowMs) {
        if (state != ClientState.SUSPENDED) {
            throw new IllegalStateException("resume() needs state SUSPENDED, but the client is " + state);
        }
        List<Action> out = new ArrayList<>();
        transitionToWaiting(out, nowMs);
        return out;
    }

    private void onMessage(NodeId from, Message message, long nowMs, List<Action> out) {
        if (!(message instanceof ProtocolMessage pm)) {
            reject(out, from, message.getClass().getSimpleName(), new Rejection(RejectionReason.UNEXPECTED_MESSAGE,
                    "not a Starling protocol message"));
            return;
        }
        if (state == ClientState.NEW || (state == ClientState.SUSPENDED && pm instanceof GlobalModel)) {
            reject(out, from, pm.type(), new Rejection(RejectionReason.UNEXPECTED_MESSAGE,
                    "client is " + state + " and does not take models from the aggregator"));
            return;
        }
        if (!from.equals(config.aggregator())) {
            reject(out, from, pm.type(), new Rejection(RejectionReason.UNEXPECTED_MESSAGE,
                    pm.type() + " from " + from + ", but this client's aggregator is " + config.aggregator()));
            return;
        }
        ReceiverContext ctx = ReceiverContext.unbounded(config.taskId(), config.paramCount(), knownVersion);
        Optional<Rejection> rejection = MessageValidator.validate(from, pm, ctx);
        if (rejection.isPresent()) {
            reject(out, from, pm.type(), rejection.get());
            return;
        }
        switch (pm) {
            case GlobalModel g -> onGlobalModel(g, nowMs, out);
            case UpdateAccepted a -> {
                if (unacknowledged.remove(a.updateId()) != null) {
                    out.add(new Action.Report(new Observation.UpdateAcknowledged(a.updateId(), a.version())));
                }
            }
            case UpdateRejected r -> {
                if (unacknowledged.remove(r.updateId()) != null) {
                    out.add(new Action.Report(new Observation.UpdateRefused(r.updateId(), r.rejection())));
                }
            }
            default -> reject(out, from, pm.type(), new Rejection(RejectionReason.UNEXPECTED_MESSAGE,
                    "an aggregator client does not handle " + pm.type()));
        }
    }

    private void onGlobalModel(GlobalModel g, long nowMs, List<Action> out) {
        if (state == ClientState.TRAINING && g.version() <= trainingBaseVersion) {
            return; // already training on this version
        }
        knownVersion = g.version();
        knownAge = g.age();
        latestModel = g.params().copy();
        latestAge = g.age();
        transitionToTraining(out, nowMs);
    }

    private void onTrained(Event.TrainingDone d, long nowMs, List<Action> out) {
        String updateId = id.value() + "/u" + (++updatesSent);
        latestModel = d.model().copy();
        latestAge = knownAge + 1;
        long samples = Math.max(1, d.result().samples());
        out.add(new Action.Send(config.aggregator(), new ClientUpdate(id, Signature.NONE, updateId, config.taskId(),
                trainingBaseVersion, d.model(), samples, d.result().loss())));
        remember(updateId, trainingBaseVersion);
        transitionToWaiting(out, nowMs);
    }

    private void transitionToTraining(List<Action> out, long nowMs) {
        if (state != ClientState.WAITING_FOR_MODEL && state != ClientState.TRAINING) {
            throw new IllegalStateException("training starts from WAITING_FOR_MODEL or TRAINING, not " + state);
        }
        state = ClientState.TRAINING;
        trainingRequestId = requests.next();
        trainingBaseVersion = knownVersion;
        out.add(new Action.CancelTimer(MODEL_TIMEOUT_TIMER));
        out.add(new Action.StartTraining(trainingRequestId, latestModel.copy(),
                config.train().withSeed(rng.nextLong())));
    }

    private void transitionToWaiting(List<Action> out, long nowMs) {
        if (state == ClientState.WAITING_FOR_MODEL) {
            throw new IllegalStateException("client is already WAITING_FOR_MODEL");
        }
        state = ClientState.WAITING_FOR_MODEL;
        trainingRequestId = -1;
        armModelTimeout(out, nowMs);
    }

    private void armModelTimeout(List<Action> out, long nowMs) {
        if (config.modelTimeoutMs() > 0) {
            out.add(new Action.SetTimer(MODEL_TIMEOUT_TIMER, nowMs + config.modelTimeoutMs()));
        }
    }

    private void remember(String updateId, long baseVersion) {
        unacknowledged.put(updateId, baseVersion);
        if (unacknowledged.size() > MAX_UNACKNOWLEDGED) {
            Iterator<String> oldest = unacknowledged.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    private static void reject(List<Action> out, NodeId from, String type, Rejection rejection) {
        out.add(new Action.Report(new Observation.MessageRejected(from, type, rejection)));
    }
}
