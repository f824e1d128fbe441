package io.starling.protocol.message;

import io.starling.protocol.NodeId;
import java.util.Objects;

/**
 * Tells a client why its update {@code updateId} was refused, and the aggregator's current version
 * so it can tell how far behind it is. Usually followed by a fresh {@link GlobalModel}.
 */
public record UpdateRejected(NodeId sender, Signature signature, String updateId, String taskId,
                             Rejection rejection, long currentVersion) implements ProtocolMessage {
    public UpdateRejected {
        Fields.requireSender("UpdateRejected", sender, signature);
        Fields.requireId("UpdateRejected", "updateId", updateId);
        Fields.requireId("UpdateRejected", "taskId", taskId);
        Objects.requireNonNull(Fields.requirePresent("UpdateRejected", "rejection", rejection));
        Fields.requireNonNegative("UpdateRejected", "currentVersion", currentVersion);
    }

    @Override
    public long wireBytes() {
        return Fields.wireBytes(sender, signature, Fields.idBytes(updateId) + Fields.idBytes(taskId) + 12
                + rejection.detail().length());
    }
}
