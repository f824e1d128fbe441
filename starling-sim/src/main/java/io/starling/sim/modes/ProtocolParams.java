package io.starling.sim.modes;

import io.starling.core.StarlingException;
import io.starling.core.aggregate.AggregationRule;
import io.starling.core.aggregate.AggregationRules;
import io.starling.core.model.TrainConfig;
import io.starling.protocol.NodeId;
import io.starling.protocol.Rng;
import io.starling.protocol.client.ClientConfig;
import io.starling.protocol.gossip.GossipConfig;
import io.starling.protocol.sampling.CyclonConfig;
import io.starling.sim.experiment.ConfigException;
import io.starling.sim.experiment.ModeParams;
import io.starling.sim.experiment.ModeSetup;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Reads the parameters the protocol bindings share, turning protocol config errors into config errors. */
final class ProtocolParams {
    static final String TASK = "sim";

    private ProtocolParams() {
    }

    static AggregationRule rule(ModeParams p, String key, String dflt) {
        String spec = p.getString(key, dflt);
        try {
            return AggregationRules.parse(spec);
        } catch (StarlingException | IllegalArgumentException e) {
            throw new ConfigException(p.path() + "." + key + ": " + e.getMessage(), e);
        }
    }

    static <T> T build(ModeParams p, Supplier<T> config) {
        try {
            return config.get();
        } catch (StarlingException | IllegalArgumentException e) {
            throw new ConfigException(p.path() + ": " + e.getMessage(), e);
        }
    }

    static long ms(ModeParams p, String key, double dfltS) {
        return Math.round(p.getDouble(key, dfltS, 0.001, 1e9) * 1000);
    }

    static ClientConfig client(ModeParams p, ModeSetup s, double dfltTimeoutS) {
        long timeoutMs = Math.round(p.getDouble("modelTimeoutS", dfltTimeoutS, 0, 1e9) * 1000);
        NodeId aggregator = s.aggregators().get(0);
        TrainConfig train = s.trainConfig();
        return build(p, () -> new ClientConfig(TASK, aggregator, s.initialModel().size(), train, timeoutMs));
    }

    static GossipConfig gossip(ModeParams p, ModeSetup s) {
        long periodMs = ms(p, "gossipPeriodS", 30);
        int viewSize = p.getInt("viewSize", 10, 1, 128);
        int shuffleLength = p.getInt("shuffleLength", 5, 1, 128);
        long shuffleMs = ms(p, "shufflePeriodS", 30);
        return build(p, () -> new GossipConfig(TASK, s.initialModel().size(), periodMs, s.trainConfig(),
                new CyclonConfig(viewSize, shuffleLength, shuffleMs)));
    }

    /**
     * {@code count} distinct peers other than {@code self}, drawn with {@code rng}: a bootstrap
     * view for peer sampling, so memory stays O(count) per node whatever the device count.
     */
    static List<NodeId> bootstrapPeers(List<NodeId> devices, NodeId self, int count, Rng rng) {
        int n = devices.size();
        int want = Math.min(count, n - 1);
        List<NodeId> out = new ArrayList<>(want);
        if (want <= 0) {
            return out;
        }
        java.util.Set<Integer> chosen = new java.util.HashSet<>();
        while (out.size() < want) {
            int k = rng.nextInt(n);
            NodeId candidate = devices.get(k);
            if (!candidate.equals(self) && chosen.add(k)) {
                out.add(candidate);
            }
        }
        return out;
    }
}
