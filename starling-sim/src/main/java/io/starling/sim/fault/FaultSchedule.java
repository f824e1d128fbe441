package io.starling.sim.fault;

import io.starling.protocol.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything that goes wrong in one run, applied identically to every learning mode of an
 * experiment so their comparison is fair.
 */
public record FaultSchedule(List<Fault> faults) {
    public FaultSchedule {
        faults = List.copyOf(faults);
    }

    public static final FaultSchedule NONE = new FaultSchedule(List.of());

    public <T extends Fault> List<T> ofType(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Fault f : faults) {
            if (type.isInstance(f)) {
                out.add(type.cast(f));
            }
        }
        return out;
    }

    /** Probability that a message sent at {@code tMs} is lost (the largest applicable rate). */
    public double lossRateAt(long tMs) {
        double rate = 0;
        for (Fault f : faults) {
            if (f instanceof Fault.MessageLoss l && l.fromMs() <= tMs && tMs < l.toMs()) {
                rate = Math.max(rate, l.rate());
            }
        }
        return rate;
    }

    /**
     * Whether a partition active at {@code tMs} separates {@code a} from {@code b}.
     * {@code groupOf} caches each partition's node-to-group map.
     */
    public boolean separated(NodeId a, NodeId b, long tMs, Map<Fault.Partition, Map<NodeId, Integer>> groupOf) {
        for (Fault f : faults) {
            if (f instanceof Fault.Partition p && p.fromMs() <= tMs && tMs < p.toMs()) {
                Map<NodeId, Integer> groups = groupOf.computeIfAbsent(p, FaultSchedule::indexGroups);
                int ga = groups.getOrDefault(a, -1);
                int gb = groups.getOrDefault(b, -1);
                if (ga != gb) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Map<NodeId, Integer> indexGroups(Fault.Partition p) {
        Map<NodeId, Integer> m = new java.util.HashMap<>();
        for (int g = 0; g < p.groups().size(); g++) {
            for (NodeId n : p.groups().get(g)) {
                m.put(n, g);
            }
        }
        return m;
    }
}
