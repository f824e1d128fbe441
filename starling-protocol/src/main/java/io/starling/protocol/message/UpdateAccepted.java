package io.starling.protocol.message;

import io.starling.protocol.NodeId;

/**
 * Acknowledges that update {@code updateId} is part of committed global version {@code version}.
 * Sent only after the commit, so a client may forget an update once it sees this.
 */
public record UpdateAccepted(NodeId sender, Signature signature, String updateId, String taskId, long version)
        implements ProtocolMessage {
    public UpdateAccepted {
        Fields.requireSender("UpdateAccepted", sender, signature);
        Fields.requireId("UpdateAccepted", "updateId", updateId);
        Fields.requireId("UpdateAccepted", "taskId", taskId);
        Fields.requireNonNegative("UpdateAccepted", "version", version);
    }

    @Override
    public long wireBytes() {
        return Fields.wireBytes(sender, signature, Fields.idBytes(updateId) + Fields.idBytes(taskId) + 8);
    }
}
