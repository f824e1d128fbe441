package io.starling.sim.modes;

import io.starling.core.aggregate.AggregationRule;
import io.starling.protocol.async.AsyncConfig;
import io.starling.protocol.async.AsyncServer;
import io.starling.protocol.client.ClientConfig;
import io.starling.protocol.gossip.GossipConfig;
import io.starling.protocol.hybrid.HybridClient;
import io.starling.protocol.hybrid.HybridConfig;
import io.starling.sim.engine.NodeFactory;
import io.starling.sim.engine.NodeRole;
import io.starling.sim.experiment.IdleNode;
import io.starling.sim.experiment.ModeBinding;
import io.starling.sim.experiment.ModeParams;
import io.starling.sim.experiment.ModeSetup;

/**
 * The hybrid (DecentraLearn): devices run {@link HybridClient}s that use the asynchronous
 * aggregator while it answers and gossip when it does not; the {@link AsyncServer} merges returning
 * gossip models by doubly weighted averaging. Params: those of {@code async} and {@code gossip},
 * plus {@code mergeBackRule} ({@code doubly-weighted:lambda=0.5}) and {@code probePeriodS} (60:
 * how often a falling-back client checks whether the aggregator is back). {@code modelTimeoutS}
 * (120) is how long a client waits for a model before falling back.
 */
public final class HybridMode implements ModeBinding {
    @Override
    public String name() {
        return "hybrid";
    }

    @Override
    public String description() {
        return "aggregator while reachable, gossip fallback, doubly weighted merge-back";
    }

    @Override
    public NodeFactory nodes(ModeSetup s) {
        ModeParams p = s.params();
        AggregationRule rule = ProtocolParams.rule(p, "rule", "fedasync:alpha=0.6,staleness=poly:0.5");
        AggregationRule mergeBack = ProtocolParams.rule(p, "mergeBackRule", "doubly-weighted:lambda=0.5");
        AggregationRule gossipMerge = ProtocolParams.rule(p, "mergeRule", "doubly-weighted:lambda=0.5");
        int buffer = p.getInt("bufferSize", 1, 1, 1_000_000);
        long maxStaleness = p.getLong("maxStaleness", 50, 0, Long.MAX_VALUE);
        int bootstrap = p.getInt("bootstrapPeers", 10, 1, 1000);
        long probeMs = ProtocolParams.ms(p, "probePeriodS", 60);
        AsyncConfig server = ProtocolParams.build(p, () -> new AsyncConfig(ProtocolParams.TASK, s.initialModel().size(),
                buffer, maxStaleness));
        ClientConfig client = ProtocolParams.client(p, s, 120);
        GossipConfig gossip = ProtocolParams.gossip(p, s);
        HybridConfig hybrid = ProtocolParams.build(p, () -> new HybridConfig(client, gossip, probeMs));
        return (index, spec, rng) -> {
            if (spec.role() == NodeRole.AGGREGATOR) {
                return spec.id().equals(s.aggregators().get(0))
                        ? new AsyncServer(spec.id(), server, s.initialModel(), rule, mergeBack)
                        : new IdleNode(spec.id());
            }
            return new HybridClient(spec.id(), hybrid, s.initialModel(), gossipMerge, rng,
                    ProtocolParams.bootstrapPeers(s.devices(), spec.id(), bootstrap, rng));
        };
    }
}
