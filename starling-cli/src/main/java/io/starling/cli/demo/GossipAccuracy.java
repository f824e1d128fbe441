package io.starling.cli.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the clients' gossip models fared during an outage, from their evaluations in time order.
 *
 * @param start mean over the clients of their first evaluation (taken as they switched: the model
 *     they start gossip from, their last local training)
 * @param end mean over the clients of the average of their last two evaluations (one evaluation
 *     alone varies by a few points: each catches a model right after local training on the
 *     client's skewed data)
 * @param last each client's last evaluation
 */
public record GossipAccuracy(double start, double end, Map<String, Double> last) {
    public GossipAccuracy {
        last = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(last));
    }

    /** From evaluations in time order; NaN start and end when there are none. */
    public static GossipAccuracy of(List<GossipSample> inTimeOrder) {
        Map<String, List<Double>> byClient = new LinkedHashMap<>();
        inTimeOrder.forEach(g -> byClient.computeIfAbsent(g.clientId(), k -> new ArrayList<>()).add(g.accuracy()));
        Map<String, Double> last = new LinkedHashMap<>();
        byClient.forEach((id, a) -> last.put(id, a.getLast()));
        double start = byClient.values().stream().mapToDouble(List::getFirst).average().orElse(Double.NaN);
        double end = byClient.values().stream()
                .mapToDouble(a -> a.subList(Math.max(0, a.size() - 2), a.size()).stream()
                        .mapToDouble(Double::doubleValue).average().orElseThrow())
                .average().orElse(Double.NaN);
        return new GossipAccuracy(start, end, last);
    }
}
