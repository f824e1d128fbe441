package io.starling.protocol.message;

import io.starling.protocol.NodeId;

/**
 * A client announces itself to an aggregator for {@code taskId} and asks for the current model.
 * Also used as a cheap probe by a hybrid client that wants to know whether the aggregator is back.
 */
public record Join(NodeId sender, Signature signature, String taskId) implements ProtocolMessage {
    public Join {
        Fields.requireSender("Join", sender, signature);
        Fields.requireId("Join", "taskId", taskId);
    }

    @Override
    public long wireBytes() {
        return Fields.wireBytes(sender, signature, Fields.idBytes(taskId));
    }
}
