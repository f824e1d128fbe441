package io.starling.protocol.gossip;

import static io.starling.protocol.InvalidConfigException.require;

import io.starling.core.model.TrainConfig;
import io.starling.protocol.sampling.CyclonConfig;

/**
 * Settings of a {@link GossipNode}.
 *
 * @param taskId the task learned
 * @param paramCount the model's number of parameters
 * @param periodMs Δ: time between two pushes of the node's model to a random peer
 * @param train local training hyper-parameters (the seed is replaced per request)
 * @param sampling the Cyclon peer-sampling settings
 */
public record GossipConfig(String taskId, int paramCount, long periodMs, TrainConfig train, CyclonConfig sampling) {
    public GossipConfig {
        require(taskId != null && !taskId.isBlank(), "taskId", taskId, "a non-blank task id");
        require(paramCount > 0, "paramCount", paramCount, "> 0");
        require(periodMs > 0, "periodMs", periodMs, "> 0 milliseconds");
        require(train != null, "train", train, "a training config");
        require(sampling != null, "sampling", sampling, "a peer-sampling config");
    }
}
