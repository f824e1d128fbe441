package io.starling.sim.modes;

import io.starling.core.aggregate.AggregationRule;
import io.starling.protocol.async.AsyncConfig;
import io.starling.protocol.async.AsyncServer;
import io.starling.protocol.client.AggregatorClient;
import io.starling.protocol.client.ClientConfig;
import io.starling.sim.engine.NodeFactory;
import io.starling.sim.engine.NodeRole;
import io.starling.sim.experiment.IdleNode;
import io.starling.sim.experiment.ModeBinding;
import io.starling.sim.experiment.ModeParams;
import io.starling.sim.experiment.ModeSetup;

/**
 * Asynchronous aggregation (FedAsync, or FedBuff with {@code bufferSize > 1}): {@link AsyncServer}
 * on the first aggregator, {@link AggregatorClient} on every device. Params: {@code rule}
 * ({@code fedasync:alpha=0.6,staleness=poly:0.5}), {@code bufferSize} (1), {@code maxStaleness}
 * (50), {@code modelTimeoutS} (120: a client whose update or model was lost asks again).
 */
public final class AsyncMode implements ModeBinding {
    @Override
    public String name() {
        return "async";
    }

    @Override
    public String description() {
        return "asynchronous aggregation, FedAsync or FedBuff (bufferSize > 1)";
    }

    @Override
    public NodeFactory nodes(ModeSetup s) {
        ModeParams p = s.params();
        AggregationRule rule = ProtocolParams.rule(p, "rule", "fedasync:alpha=0.6,staleness=poly:0.5");
        int buffer = p.getInt("bufferSize", 1, 1, 1_000_000);
        long maxStaleness = p.getLong("maxStaleness", 50, 0, Long.MAX_VALUE);
        AsyncConfig server = ProtocolParams.build(p, () -> new AsyncConfig(ProtocolParams.TASK, s.initialModel().size(),
                buffer, maxStaleness));
        ClientConfig client = ProtocolParams.client(p, s, 120);
        return (index, spec, rng) -> {
            if (spec.role() == NodeRole.AGGREGATOR) {
                return spec.id().equals(s.aggregators().get(0))
                        ? new AsyncServer(spec.id(), server, s.initialModel(), rule)
                        : new IdleNode(spec.id());
            }
            return new AggregatorClient(spec.id(), client, rng);
        };
    }
}
