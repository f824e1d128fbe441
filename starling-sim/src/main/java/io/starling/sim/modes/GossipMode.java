package io.starling.sim.modes;

import io.starling.core.aggregate.AggregationRule;
import io.starling.protocol.gossip.GossipConfig;
import io.starling.protocol.gossip.GossipNode;
import io.starling.sim.engine.NodeFactory;
import io.starling.sim.engine.NodeRole;
import io.starling.sim.experiment.IdleNode;
import io.starling.sim.experiment.ModeBinding;
import io.starling.sim.experiment.ModeParams;
import io.starling.sim.experiment.ModeSetup;

/**
 * Gossip learning with Cyclon peer sampling: a {@link GossipNode} on every device, aggregators
 * idle. Params: {@code gossipPeriodS} (30), {@code mergeRule}
 * ({@code doubly-weighted:lambda=0.5}, i.e. age-weighted), {@code viewSize} (10),
 * {@code shuffleLength} (5), {@code shufflePeriodS} (30), {@code bootstrapPeers} (10 random
 * devices per node).
 */
public final class GossipMode implements ModeBinding {
    @Override
    public String name() {
        return "gossip";
    }

    @Override
    public String description() {
        return "gossip learning: periodic push to a Cyclon-sampled peer, age-weighted merge, local training";
    }

    @Override
    public NodeFactory nodes(ModeSetup s) {
        ModeParams p = s.params();
        GossipConfig config = ProtocolParams.gossip(p, s);
        AggregationRule merge = ProtocolParams.rule(p, "mergeRule", "doubly-weighted:lambda=0.5");
        int bootstrap = p.getInt("bootstrapPeers", 10, 1, 1000);
        return (index, spec, rng) -> spec.role() == NodeRole.AGGREGATOR
                ? new IdleNode(spec.id())
                : new GossipNode(spec.id(), config, s.initialModel(), merge, rng,
                        ProtocolParams.bootstrapPeers(s.devices(), spec.id(), bootstrap, rng));
    }
}
