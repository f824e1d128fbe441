package io.starling.net.aggregator;

import io.starling.net.blob.BlobDigest;
import io.starling.net.gossip.GossipBackend;
import io.starling.net.gossip.GossipModel;
import io.starling.net.membership.MembershipBackend;
import io.starling.net.membership.PeerAddress;
import io.starling.net.model.TaskView;
import io.starling.net.proto.Announcement;
import io.starling.protocol.NodeId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A node stand-in serving one task; records everything that passes the services' checks. */
final class RecordingBackend implements AggregatorBackend, GossipBackend, MembershipBackend {
    static final String TASK = "mnist";
    static final int DIMENSION = 10;
    static final long VERSION = 20;
    static final long MAX_STALENESS = 5;

    final List<UpdateSubmission> updates = new CopyOnWriteArrayList<>();
    final List<GossipModel> gossip = new CopyOnWriteArrayList<>();
    final List<List<PeerAddress>> shuffles = new CopyOnWriteArrayList<>();
    final List<Consumer<Announcement>> watchers = new CopyOnWriteArrayList<>();
    private final TaskView task;

    RecordingBackend(BlobDigest model, long modelBytes) {
        task = new TaskView(TASK, "logreg", DIMENSION, "q8", MAX_STALENESS, "async", VERSION, model, modelBytes);
    }

    @Override
    public Optional<TaskView> task(String taskId) {
        return TASK.equals(taskId) ? Optional.of(task) : Optional.empty();
    }

    @Override
    public Set<String> taskIds() {
        return Set.of(TASK);
    }

    @Override
    public boolean submit(UpdateSubmission update) {
        boolean dup = updates.stream().anyMatch(u -> u.updateId().equals(update.updateId()));
        if (!dup) {
            updates.add(update);
        }
        return dup;
    }

    @Override
    public AutoCloseable watch(String taskId, String watcher, long afterVersion, Consumer<Announcement> sink) {
        watchers.add(sink);
        return () -> watchers.remove(sink);
    }

    @Override
    public void receive(GossipModel model) {
        gossip.add(model);
    }

    @Override
    public void receiveShuffle(NodeId sender, String senderAddress, List<PeerAddress> entries, boolean isReply) {
        shuffles.add(entries);
    }
}
