package io.starling.protocol.message;

import io.starling.core.param.ParamVector;
import io.starling.protocol.NodeId;

/**
 * A gossip node's current model and its age (how many updates it has absorbed). Peers merge it
 * by age-weighted averaging; a returning hybrid client sends it to the aggregator, which merges
 * it by doubly weighted averaging.
 */
public record GossipModel(NodeId sender, Signature signature, String taskId, ParamVector params, double age)
        implements ProtocolMessage {
    public GossipModel {
        Fields.requireSender("GossipModel", sender, signature);
        Fields.requireId("GossipModel", "taskId", taskId);
        Fields.requirePresent("GossipModel", "params", params);
        Fields.requireAge("GossipModel", age);
    }

    @Override
    public long wireBytes() {
        return Fields.wireBytes(sender, signature, Fields.idBytes(taskId) + 8 + 4L * params.size());
    }
}
