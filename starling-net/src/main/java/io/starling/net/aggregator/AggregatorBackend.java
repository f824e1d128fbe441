package io.starling.net.aggregator;

import io.starling.net.model.TaskView;
import io.starling.net.proto.Announcement;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What an {@link AggregatorService} needs from the node behind it. The node implements it by
 * handing checked updates to its protocol state machine and publishing committed versions.
 */
public interface AggregatorBackend {
    /** The task's current rules and model, or empty when this node does not serve it. */
    Optional<TaskView> task(String taskId);

    /** Ids of the tasks served, for error messages. */
    java.util.Set<String> taskIds();

    /**
     * Takes a checked update. Returns true when an update with the same id had been taken before
     * (and was not counted again).
     *
     * @throws io.starling.net.transport.RejectedRequestException when the node's state refuses it
     *     (e.g. WRONG_STATE: the round is closed)
     */
    boolean submit(UpdateSubmission update);

    /**
     * Calls {@code sink} with every announcement for {@code taskId} after {@code afterVersion}
     * (and, in sync mode, every round that selects {@code watcher}) until the returned handle is
     * closed. {@code sink} may be called from any thread, one call at a time.
     */
    AutoCloseable watch(String taskId, String watcher, long afterVersion, Consumer<Announcement> sink);
}
