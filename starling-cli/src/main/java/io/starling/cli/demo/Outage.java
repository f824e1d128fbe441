package io.starling.cli.demo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The aggregator outage of a demo run: every replica SIGKILLed together, the clients' switch to
 * gossip learning, their gossip accuracy, the restart and the merge of their handed-back models.
 *
 * @param atS seconds since the demo started, at the kill of the last replica
 * @param configuredS how long the replicas stayed down before the demo restarted them
 * @param fallbackTimeoutMs the clients' fallback timeout
 * @param versionBefore the latest committed version when the replicas died
 * @param committedAccuracyBefore test accuracy of that version's model
 * @param downS from the kill until a restarted replica reported itself the serving leader
 * @param switchMs per client, from the kill until it switched to gossip (absent: it did not)
 * @param gossipAccuracyStart mean over the clients of their gossip model's accuracy at the first
 *     evaluation after they switched (right after the switch: the model they start gossip from)
 * @param gossipAccuracyEnd mean over the clients of their gossip model's accuracy over the last two
 *     evaluations before they reconnected (one evaluation alone varies by a few points: each
 *     catches a model right after local training on the client's skewed data)
 * @param lastGossipAccuracy per client, its gossip model's accuracy at the last evaluation before it reconnected
 * @param reconnectMs from the restart until every client was back on the group with its hand-back committed
 * @param handBacks gossip models handed back and committed after the restart
 * @param mergedVersion the checkpoint that merged the last hand-back (-1: none)
 * @param mergedAccuracy test accuracy of that checkpoint's model
 */
public record Outage(double atS, int configuredS, long fallbackTimeoutMs, long versionBefore,
                     double committedAccuracyBefore, double downS, Map<String, Long> switchMs,
                     double gossipAccuracyStart, double gossipAccuracyEnd, Map<String, Double> lastGossipAccuracy,
                     double reconnectMs, int handBacks, long mergedVersion, double mergedAccuracy) {
    public Outage {
        switchMs = Map.copyOf(switchMs);
        lastGossipAccuracy = Map.copyOf(lastGossipAccuracy);
    }

    /** The best gossip model's accuracy (NaN when no client was evaluated while gossiping). */
    public double bestGossipAccuracy() {
        return lastGossipAccuracy.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** The client that held the best gossip model, or empty. */
    public String bestGossipClient() {
        return lastGossipAccuracy.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElse("");
    }

    /** The summary's {@code outage} object, snake_case keys, clients in id order. */
    Map<String, Object> toJson(List<String> clientIds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at_s", round(atS, 10));
        m.put("configured_s", configuredS);
        m.put("fallback_timeout_ms", fallbackTimeoutMs);
        m.put("version_before", versionBefore);
        m.put("committed_accuracy_before", round(committedAccuracyBefore, 10_000));
        m.put("down_s", round(downS, 10));
        m.put("clients_switched", switchMs.size());
        Map<String, Object> switches = new LinkedHashMap<>();
        Map<String, Object> last = new LinkedHashMap<>();
        for (String id : clientIds) {
            if (switchMs.containsKey(id)) {
                switches.put(id, switchMs.get(id));
            }
            if (lastGossipAccuracy.containsKey(id)) {
                last.put(id, round(lastGossipAccuracy.get(id), 10_000));
            }
        }
        m.put("switch_ms", switches);
        m.put("gossip_accuracy_start", round(gossipAccuracyStart, 10_000));
        m.put("gossip_accuracy_end", round(gossipAccuracyEnd, 10_000));
        m.put("gossip_accuracy_last", last);
        m.put("best_gossip_accuracy", round(bestGossipAccuracy(), 10_000));
        m.put("best_gossip_client", bestGossipClient());
        m.put("reconnect_ms", round(reconnectMs, 10));
        m.put("hand_backs", handBacks);
        m.put("merged_version", mergedVersion);
        m.put("merged_accuracy", round(mergedAccuracy, 10_000));
        return m;
    }

    private static Object round(double v, double scale) {
        return Double.isFinite(v) ? Math.round(v * scale) / scale : null;
    }
}
