package io.starling.protocol.client;

import static io.starling.protocol.InvalidConfigException.require;

import io.starling.core.model.TrainConfig;
import io.starling.protocol.NodeId;
import java.util.Objects;

/**
 * Settings of an {@link AggregatorClient}.
 *
 * @param taskId the task to contribute to
 * @param aggregator where updates go and models come from
 * @param paramCount the task model's number of parameters; models of another size are rejected
 * @param train local training hyper-parameters (the seed is replaced per request from the node's Rng)
 * @param modelTimeoutMs if no model arrives for this long after joining or sending an update,
 *     the client asks again (a hybrid client falls back to gossip instead); {@code 0} disables
 */
public record ClientConfig(String taskId, NodeId aggregator, int paramCount, TrainConfig train, long modelTimeoutMs) {
    public ClientConfig {
        require(taskId != null && !taskId.isBlank(), "taskId", taskId, "a non-blank task id");
        require(aggregator != null, "aggregator", aggregator, "the aggregator's node id");
        require(paramCount > 0, "paramCount", paramCount, "> 0");
        require(train != null, "train", train, "a training config");
        require(modelTimeoutMs >= 0, "modelTimeoutMs", modelTimeoutMs, ">= 0 (0 disables)");
        Objects.requireNonNull(train);
    }
}
