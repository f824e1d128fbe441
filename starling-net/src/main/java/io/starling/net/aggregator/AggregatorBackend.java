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
     * Says whether this node serves submissions for {@code taskId} right now, before the update is
     * checked (its blob read and decoded). A replica that does not lead throws
     * {@link io.starling.net.transport.LeaderRedirectException} here, so the client is redirected
     * without the cost of a check whose result would be thrown away. Default: always serves.
     */
    default void admit(String taskId, String updateId) {
    }

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
