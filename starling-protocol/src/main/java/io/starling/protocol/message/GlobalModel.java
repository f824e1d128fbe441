package io.starling.protocol.message;

import io.starling.core.param.ParamVector;
import io.starling.protocol.NodeId;

/**
 * The aggregator's model for {@code taskId} at {@code version}, sent to clients to train on.
 *
 * @param version global version, increasing by one per commit
 * @param params full model weights
 * @param age how many updates the model has absorbed; a client that falls back to gossip starts
 *     from this age
 */
public record GlobalModel(NodeId sender, Signature signature, String taskId, long version, ParamVector params,
                          double age) implements ProtocolMessage {
    public GlobalModel {
        Fields.requireSender("GlobalModel", sender, signature);
        Fields.requireId("GlobalModel", "taskId", taskId);
        Fields.requireNonNegative("GlobalModel", "version", version);
        Fields.requirePresent("GlobalModel", "params", params);
        Fields.requireAge("GlobalModel", age);
    }

    @Override
    public long wireBytes() {
        return Fields.wireBytes(sender, signature, Fields.idBytes(taskId) + 16 + 4L * params.size());
    }
}
