package io.starling.sim.modes;

import io.starling.core.aggregate.AggregationRule;
import io.starling.protocol.client.AggregatorClient;
import io.starling.protocol.client.ClientConfig;
import io.starling.protocol.sync.SyncConfig;
import io.starling.protocol.sync.SyncServer;
import io.starling.sim.engine.NodeFactory;
import io.starling.sim.engine.NodeRole;
import io.starling.sim.experiment.IdleNode;
import io.starling.sim.experiment.ModeBinding;
import io.starling.sim.experiment.ModeParams;
import io.starling.sim.experiment.ModeSetup;

/**
 * Synchronous FedAvg rounds: {@link SyncServer} on the first aggregator, {@link AggregatorClient}
 * on every device. Params: {@code clientFraction} (C, 0.1), {@code minClients} (2),
 * {@code minUpdates} (1), {@code roundDeadlineS} (120), {@code rule} ({@code fedavg}),
 * {@code modelTimeoutS} (0 = off).
 */
public final class SyncMode implements ModeBinding {
    @Override
    public String name() {
        return "sync";
    }

    @Override
    public String description() {
        return "synchronous FedAvg rounds with client fraction C and a round deadline";
    }

    @Override
    public NodeFactory nodes(ModeSetup s) {
        ModeParams p = s.params();
        double fraction = p.getDouble("clientFraction", 0.1);
        int minClients = p.getInt("minClients", 2, 1, Integer.MAX_VALUE);
        int minUpdates = p.getInt("minUpdates", 1, 1, Integer.MAX_VALUE);
        long deadlineMs = ProtocolParams.ms(p, "roundDeadlineS", 120);
        AggregationRule rule = ProtocolParams.rule(p, "rule", "fedavg");
        SyncConfig server = ProtocolParams.build(p, () -> new SyncConfig(ProtocolParams.TASK, s.initialModel().size(),
                fraction, minClients, minUpdates, deadlineMs));
        ClientConfig client = ProtocolParams.client(p, s, 0);
        return (index, spec, rng) -> {
            if (spec.role() == NodeRole.AGGREGATOR) {
                return spec.id().equals(s.aggregators().get(0))
                        ? new SyncServer(spec.id(), server, s.initialModel(), rule, rng, s.devices())
                        : new IdleNode(spec.id());
            }
            return new AggregatorClient(spec.id(), client, rng);
        };
    }
}
