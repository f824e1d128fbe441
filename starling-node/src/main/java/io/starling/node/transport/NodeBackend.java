package io.starling.node.transport;

import io.starling.net.aggregator.AggregatorBackend;
import io.starling.net.aggregator.UpdateSubmission;
import io.starling.net.gossip.GossipBackend;
import io.starling.net.membership.MembershipBackend;
import io.starling.net.membership.PeerAddress;
import io.starling.net.model.TaskView;
import io.starling.net.proto.Announcement;
import io.starling.net.transport.RejectedRequestException;
import io.starling.protocol.Event;
import io.starling.protocol.NodeId;
import io.starling.protocol.message.ClientUpdate;
import io.starling.protocol.message.GossipModel;
import io.starling.protocol.message.Join;
import io.starling.protocol.message.PeerDescriptor;
import io.starling.protocol.message.ShuffleReply;
import io.starling.protocol.message.ShuffleRequest;
import io.starling.protocol.message.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The receiving half of the node's transport: requests that passed the services' boundary checks
 * become protocol messages queued to the protocol thread. Nothing here changes protocol state
 * directly.
 */
public final class NodeBackend implements AggregatorBackend, GossipBackend, MembershipBackend {
    private final Consumer<Event> events;
    private final AddressBook addresses;
    private final Inboxes inboxes;
    private final TrafficCounters traffic;
    private volatile TaskView task;

    public NodeBackend(TaskView initial, Consumer<Event> events, AddressBook addresses, Inboxes inboxes,
                       TrafficCounters traffic) {
        this.task = initial;
        this.events = events;
        this.addresses = addresses;
        this.inboxes = inboxes;
        this.traffic = traffic;
    }

    /** Publishes the task's new current state (after a commit). */
    public void update(TaskView view) {
        this.task = view;
    }

    public TaskView currentTask() {
        return task;
    }

    @Override
    public Optional<TaskView> task(String taskId) {
        TaskView t = task;
        return t.taskId().equals(taskId) ? Optional.of(t) : Optional.empty();
    }

    @Override
    public Set<String> taskIds() {
        return Set.of(task.taskId());
    }

    @Override
    public boolean submit(UpdateSubmission u) {
        if (u.isDelta()) {
            throw new RejectedRequestException(RejectedRequestException.Reason.MALFORMED,
                    "this aggregator takes full models, not deltas");
        }
        traffic.received(u.wireBytes());
        events.accept(new Event.MessageReceived(u.sender(), new ClientUpdate(u.sender(), Signature.NONE, u.updateId(),
                u.taskId(), u.baseVersion(), u.model(), Math.max(1, Math.round(u.samples())), u.trainLoss())));
        return false;
    }

    @Override
    public AutoCloseable watch(String taskId, String watcher, long afterVersion, Consumer<Announcement> sink) {
        NodeId client = NodeId.of(watcher);
        AutoCloseable handle = inboxes.open(client, sink);
        events.accept(new Event.MessageReceived(client, new Join(client, Signature.NONE, taskId)));
        return handle;
    }

    @Override
    public void receive(io.starling.net.gossip.GossipModel m) {
        addresses.learn(m.sender(), m.senderAddress());
        traffic.received(m.wireBytes());
        events.accept(new Event.MessageReceived(m.sender(), new GossipModel(m.sender(), Signature.NONE, m.taskId(),
                m.model(), m.age())));
    }

    @Override
    public void receiveShuffle(NodeId sender, String senderAddress, List<PeerAddress> entries, boolean isReply) {
        addresses.learn(sender, senderAddress);
        List<PeerDescriptor> descriptors = new ArrayList<>();
        Set<NodeId> seen = new java.util.HashSet<>();
        for (PeerAddress e : entries) {
            addresses.learn(e.id(), e.address());
            if (seen.add(e.id())) {
                descriptors.add(new PeerDescriptor(e.id(), e.age()));
            }
        }
        events.accept(new Event.MessageReceived(sender, isReply
                ? new ShuffleReply(sender, Signature.NONE, descriptors)
                : new ShuffleRequest(sender, Signature.NONE, descriptors)));
    }
}
