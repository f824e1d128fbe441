package io.starling.node.fallback;

import io.starling.core.model.TrainConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of one {@link FallbackClient}.
 *
 * @param clientId this client's node id (also its update id prefix)
 * @param taskId the task learned
 * @param modelSpec model factory spec, for the gossip service's task view (e.g. {@code logreg})
 * @param fallbackTimeoutMs T: no model from a serving leader for this long after joining or
 *     sending an update means gossip; it is also how long one update is resent before giving up
 * @param probePeriodMs while gossiping, how often to ask whether a leader serves again
 * @param gossipPeriodMs Δ: how often the gossip model is pushed to a random peer
 * @param handBackTimeoutMs how long a gossip model handed back is resent until committed
 * @param viewSize Cyclon peer-sampling view size
 * @param shufflePeriodMs Cyclon shuffle period
 * @param train local training hyper-parameters (the seed is replaced per training)
 * @param seed seed of the client's protocol randomness (peer choice, training seeds)
 * @param dataDir where the client's gRPC blob store keeps models pushed to it
 */
public record FallbackSettings(String clientId, String taskId, String modelSpec, long fallbackTimeoutMs,
                               long probePeriodMs, long gossipPeriodMs, long handBackTimeoutMs, int viewSize,
                               long shufflePeriodMs, TrainConfig train, long seed, Path dataDir) {
    public FallbackSettings {
        requireText("clientId", clientId);
        requireText("taskId", taskId);
        requireText("modelSpec", modelSpec);
        requirePositive("fallbackTimeoutMs", fallbackTimeoutMs);
        requirePositive("probePeriodMs", probePeriodMs);
        requirePositive("gossipPeriodMs", gossipPeriodMs);
        requirePositive("handBackTimeoutMs", handBackTimeoutMs);
        requirePositive("viewSize", viewSize);
        requirePositive("shufflePeriodMs", shufflePeriodMs);
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(dataDir, "dataDir");
    }

    /**
     * Settings with the given timing and defaults elsewhere: hand-backs resent for 10 T, a view
     * of 8 peers shuffled every 4 gossip periods.
     */
    public static FallbackSettings of(String clientId, String taskId, String modelSpec, long fallbackTimeoutMs,
                                      long probePeriodMs, long gossipPeriodMs, TrainConfig train, long seed,
                                      Path dataDir) {
        return new FallbackSettings(clientId, taskId, modelSpec, fallbackTimeoutMs, probePeriodMs, gossipPeriodMs,
                10 * fallbackTimeoutMs, 8, 4 * gossipPeriodMs, train, seed, dataDir);
    }

    private static void requireText(String name, String v) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " must be a non-blank string");
        }
    }

    private static void requirePositive(String name, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + v);
        }
    }
}
