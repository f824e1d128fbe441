package io.starling.protocol.hybrid;

import static io.starling.protocol.InvalidConfigException.require;

import io.starling.protocol.client.ClientConfig;
import io.starling.protocol.gossip.GossipConfig;

/**
 * Settings of a {@link HybridClient}.
 *
 * @param client the aggregator client part; its {@code modelTimeoutMs} is the fallback timeout T:
 *     no model from the aggregator for T ms after joining or sending an update means gossip
 * @param gossip the gossip part used during fallback (same task and model size)
 * @param probePeriodMs while in fallback, how often to ask the aggregator whether it is back
 */
public record HybridConfig(ClientConfig client, GossipConfig gossip, long probePeriodMs) {
    public HybridConfig {
        require(client != null, "client", client, "an aggregator client config");
        require(gossip != null, "gossip", gossip, "a gossip config");
        require(client.modelTimeoutMs() > 0, "client.modelTimeoutMs", client.modelTimeoutMs(),
                "> 0: the hybrid falls back to gossip when no model arrives for this long");
        require(gossip.taskId().equals(client.taskId()), "gossip.taskId", gossip.taskId(),
                "the client's task id '" + client.taskId() + "'");
        require(gossip.paramCount() == client.paramCount(), "gossip.paramCount", gossip.paramCount(),
                "the client's paramCount " + client.paramCount());
        require(probePeriodMs > 0, "probePeriodMs", probePeriodMs, "> 0 milliseconds");
    }
}
