package io.starling.protocol.message;

import java.util.Objects;

/**
 * What a receiver knows that a message must agree with.
 *
 * @param taskId the task this node serves
 * @param paramCount the task model's number of parameters
 * @param currentVersion the newest global version this node knows (an aggregator's own version, a
 *     client's last received version)
 * @param maxStaleness largest accepted {@code currentVersion - baseVersion} of a
 *     {@link ClientUpdate}; {@link Long#MAX_VALUE} for no bound
 */
public record ReceiverContext(String taskId, int paramCount, long currentVersion, long maxStaleness) {
    public ReceiverContext {
        Objects.requireNonNull(taskId, "taskId");
        if (paramCount < 0 || currentVersion < 0 || maxStaleness < 0) {
            throw new IllegalArgumentException("paramCount, currentVersion and maxStaleness must be >= 0");
        }
    }

    /** A context without a staleness bound. */
    public static ReceiverContext unbounded(String taskId, int paramCount, long currentVersion) {
        return new ReceiverContext(taskId, paramCount, currentVersion, Long.MAX_VALUE);
    }
}
