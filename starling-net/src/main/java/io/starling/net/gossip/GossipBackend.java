package io.starling.net.gossip;

import io.starling.net.model.TaskView;
import java.util.Optional;
import java.util.Set;

/** What a {@link GossipService} needs from the node behind it. */
public interface GossipBackend {
    /** The task's rules and this peer's current model, or empty when it does not take part. */
    Optional<TaskView> task(String taskId);

    Set<String> taskIds();

    /** Takes a checked model from a peer (the node merges it on its protocol thread). */
    void receive(GossipModel model);
}
