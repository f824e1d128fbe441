package io.starling.protocol.sampling;

import io.starling.protocol.Action;
import io.starling.protocol.Event;
import io.starling.protocol.Message;
import io.starling.protocol.NodeId;
import io.starling.protocol.Observation;
import io.starling.protocol.ProtocolNode;
import io.starling.protocol.Rng;
import io.starling.protocol.message.MessageValidator;
import io.starling.protocol.message.PeerDescriptor;
import io.starling.protocol.message.ProtocolMessage;
import io.starling.protocol.message.Rejection;
import io.starling.protocol.message.RejectionReason;
import io.starling.protocol.message.ShuffleReply;
import io.starling.protocol.message.ShuffleRequest;
import io.starling.protocol.message.Signature;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Cyclon peer sampling (Voulgaris, Gavidia, van Steen 2005): every node keeps a partial view of
 * {@code c} peer descriptors with ages; every period it ages its view, picks the oldest peer Q,
 * and swaps {@code l} descriptors with it (sending a fresh descriptor of itself in place of Q's).
 * Old descriptors get contacted first, so dead peers are dropped (an unanswered shuffle removes
 * Q), and the overlay stays connected with near-uniform random views.
 *
 * <p>One deliberate variant: if the initiator's view still has a free slot after merging Q's
 * reply (all received descriptors were already known), Q is kept with age 0 since it just proved
 * to be alive. Without failures every view therefore keeps its size.
 *
 * <p>It runs standalone as a {@link ProtocolNode} or composed into another node (gossip learning,
 * hybrid) that forwards shuffle messages and {@link #TIMER} to it via {@link #handles}.
 */
public final class CyclonSampler implements ProtocolNode {
    /** The shuffle timer's key; composed nodes route it here. */
    public static final String TIMER = "cyclon.shuffle";

    private final NodeId self;
    private final CyclonConfig config;
    private final Rng rng;
    private final List<PeerDescriptor> view = new ArrayList<>();
    private SamplerState state = SamplerState.NEW;
    private NodeId shufflePeer;
    private List<PeerDescriptor> sentInShuffle = List.of();

    public CyclonSampler(NodeId self, CyclonConfig config, Rng rng, Collection<NodeId> bootstrap) {
        this.self = Objects.requireNonNull(self, "self");
        this.config = Objects.requireNonNull(config, "config");
        this.rng = Objects.requireNonNull(rng, "rng");
        for (NodeId peer : bootstrap) {
            if (view.size() < config.viewSize() && !peer.equals(self) && indexOf(peer) < 0) {
                view.add(new PeerDescriptor(peer, 0));
            }
        }
    }

    @Override
    public NodeId id() {
        return self;
    }

    public SamplerState state() {
        return state;
    }

    /** The current view, oldest entries not necessarily first. */
    public List<PeerDescriptor> view() {
        return List.copyOf(view);
    }

    /** A uniformly random peer from the view, if the view is not empty. */
    public Optional<NodeId> randomPeer() {
        return view.isEmpty() ? Optional.empty() : Optional.of(view.get(rng.nextInt(view.size())).node());
    }

    /** Whether {@code event} belongs to peer sampling (a shuffle message, the shuffle timer, or its failure). */
    public static boolean handles(Event event) {
        return switch (event) {
            case Event.MessageReceived m -> m.message() instanceof ShuffleRequest || m.message() instanceof ShuffleReply;
            case Event.TimerFired t -> t.key().equals(TIMER);
            case Event.DeliveryFailed f -> f.message() instanceof ShuffleRequest || f.message() instanceof ShuffleReply;
            default -> false;
        };
    }

    /** Forgets {@code peer}, e.g. after a message to it could not be delivered. */
    public void remove(NodeId peer) {
        int i = indexOf(peer);
        if (i >= 0) {
            view.remove(i);
        }
    }

    @Override
    public List<Action> handle(Event event, long nowMs) {
        List<Action> out = new ArrayList<>();
        switch (event) {
            case Event.Start s -> {
                state = SamplerState.IDLE;
                out.add(new Action.SetTimer(TIMER, nowMs + 1 + rng.nextInt((int) Math.min(Integer.MAX_VALUE, config.periodMs()))));
            }
            case Event.TimerFired t -> {
                if (t.key().equals(TIMER) && state != SamplerState.NEW) {
                    startShuffle(out);
                    out.add(new Action.SetTimer(TIMER, nowMs + config.periodMs()));
                }
            }
            case Event.MessageReceived m -> onMessage(m.from(), m.message(), out);
            case Event.DeliveryFailed f -> {
                if (f.message() instanceof ShuffleRequest && f.to().equals(shufflePeer)) {
                    // Q was already removed when the shuffle started; an unanswered shuffle leaves it out.
                    transitionToIdle();
                }
            }
            case Event.TrainingDone d -> {
                // Peer sampling does not train.
            }
        }
        return out;
    }

    private void startShuffle(List<Action> out) {
        for (int i = 0; i < view.size(); i++) {
            view.set(i, view.get(i).older());
        }
        if (view.isEmpty()) {
            transitionToIdle();
            return;
        }
        int oldest = 0;
        for (int i = 1; i < view.size(); i++) {
            if (view.get(i).age() > view.get(oldest).age()) {
                oldest = i;
            }
        }
        NodeId q = view.remove(oldest).node();
        List<PeerDescriptor> others = randomSubset(view, config.shuffleLength() - 1, null);
        List<PeerDescriptor> offer = new ArrayList<>(others.size() + 1);
        offer.add(new PeerDescriptor(self, 0));
        offer.addAll(others);
        transitionToShuffling(q, others);
        out.add(new Action.Send(q, new ShuffleRequest(self, Signature.NONE, offer)));
    }

    private void onMessage(NodeId from, Message message, List<Action> out) {
        if (!(message instanceof ProtocolMessage pm)) {
            return;
        }
        Optional<Rejection> rejection = MessageValidator.checkSender(from, pm);
        if (rejection.isPresent()) {
            out.add(new Action.Report(new Observation.MessageRejected(from, pm.type(), rejection.get())));
            return;
        }
        switch (pm) {
            case ShuffleRequest r -> {
                List<PeerDescriptor> reply = randomSubset(view, config.shuffleLength(), from);
                out.add(new Action.Send(from, new ShuffleReply(self, Signature.NONE, reply)));
                integrate(cap(r.descriptors()), reply);
            }
            case ShuffleReply r -> {
                if (state == SamplerState.SHUFFLING && from.equals(shufflePeer)) {
                    integrate(cap(r.descriptors()), sentInShuffle);
                    if (view.size() < config.viewSize() && indexOf(from) < 0) {
                        view.add(new PeerDescriptor(from, 0));
                    }
                    transitionToIdle();
                } else {
                    integrate(cap(r.descriptors()), List.of());
                }
            }
            default -> out.add(new Action.Report(new Observation.MessageRejected(from, pm.type(),
                    new Rejection(RejectionReason.UNEXPECTED_MESSAGE, "peer sampling handles only shuffles"))));
        }
    }

    /** Cyclon's merge: skip self and known peers, fill free slots, then replace entries we sent. */
    private void integrate(List<PeerDescriptor> received, List<PeerDescriptor> sent) {
        List<NodeId> replaceable = new ArrayList<>();
        for (PeerDescriptor d : sent) {
            replaceable.add(d.node());
        }
        for (PeerDescriptor d : received) {
            if (d.node().equals(self) || indexOf(d.node()) >= 0) {
                continue;
            }
            if (view.size() < config.viewSize()) {
                view.add(d);
                continue;
            }
            while (!replaceable.isEmpty()) {
                int i = indexOf(replaceable.removeFirst());
                if (i >= 0) {
                    view.set(i, d);
                    break;
                }
            }
        }
    }

    private List<PeerDescriptor> cap(List<PeerDescriptor> received) {
        return received.size() <= config.shuffleLength() ? received : received.subList(0, config.shuffleLength());
    }

    private List<PeerDescriptor> randomSubset(List<PeerDescriptor> from, int k, NodeId exclude) {
        List<PeerDescriptor> pool = new ArrayList<>(from);
        if (exclude != null) {
            pool.removeIf(d -> d.node().equals(exclude));
        }
        int n = Math.min(k, pool.size());
        for (int i = 0; i < n; i++) {
            int j = i + rng.nextInt(pool.size() - i);
            PeerDescriptor tmp = pool.get(i);
            pool.set(i, pool.get(j));
            pool.set(j, tmp);
        }
        return List.copyOf(pool.subList(0, n));
    }

    private void transitionToShuffling(NodeId peer, List<PeerDescriptor> sent) {
        if (state == SamplerState.NEW) {
            throw new IllegalStateException("cannot shuffle before Start");
        }
        state = SamplerState.SHUFFLING;
        shufflePeer = peer;
        sentInShuffle = sent;
    }

    private void transitionToIdle() {
        if (state == SamplerState.NEW) {
            throw new IllegalStateException("cannot become IDLE before Start");
        }
        state = SamplerState.IDLE;
        shufflePeer = null;
        sentInShuffle = List.of();
    }

    private int indexOf(NodeId peer) {
        for (int i = 0; i < view.size(); i++) {
            if (view.get(i).node().equals(peer)) {
                return i;
            }
        }
        return -1;
    }
}
