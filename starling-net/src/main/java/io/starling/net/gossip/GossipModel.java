package io.starling.net.gossip;

import io.starling.core.param.ParamVector;
import io.starling.protocol.NodeId;

/**
 * A peer's model after the boundary checks: known task, right dimension, complete verified blob,
 * finite values, sane age.
 *
 * @param sender the pushing peer
 * @param senderAddress where the peer listens, "host:port" (may be empty)
 * @param taskId the task
 * @param model the decoded weights
 * @param age updates the model has absorbed
 * @param version the sender's local version counter
 * @param wireBytes bytes the push cost (blob plus message)
 */
public record GossipModel(NodeId sender, String senderAddress, String taskId, ParamVector model, double age,
                          long version, long wireBytes) {
}
