package io.starling.protocol.message;

import io.starling.core.param.ParamVector;
import io.starling.protocol.NodeId;

/**
 * A client's locally trained model, offered to the aggregator.
 *
 * @param updateId unique per update; resending the same id is idempotent
 * @param baseVersion the global version the client trained from (staleness = current - base)
 * @param params full trained weights (not a delta)
 * @param samples training examples processed, the FedAvg weight; > 0
 * @param loss mean training loss, reported for monitoring
 */
public record ClientUpdate(NodeId sender, Signature signature, String updateId, String taskId, long baseVersion,
                           ParamVector params, long samples, double loss) implements ProtocolMessage {
    public ClientUpdate {
        Fields.requireSender("ClientUpdate", sender, signature);
        Fields.requireId("ClientUpdate", "updateId", updateId);
        Fields.requireId("ClientUpdate", "taskId", taskId);
        Fields.requireNonNegative("ClientUpdate", "baseVersion", baseVersion);
        Fields.requirePresent("ClientUpdate", "params", params);
        if (samples <= 0) {
            throw new MalformedMessageException("ClientUpdate", "samples", "must be > 0, got " + samples);
        }
    }

    @Override
    public long wireBytes() {
        return Fields.wireBytes(sender, signature,
                Fields.idBytes(updateId) + Fields.idBytes(taskId) + 24 + 4L * params.size());
    }
}
