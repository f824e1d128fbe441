package io.starling.raft.aggregator;

import io.starling.core.param.ParamVector;
import io.starling.raft.log.CheckpointCommitted;
import java.util.Objects;

/**
 * A client's locally trained model offered to the aggregator. The update id makes submission
 * idempotent: the same id resent to any leader is absorbed at most once.
 *
 * @param updateId globally unique id chosen by the client (e.g. {@code client-3/round-17})
 * @param clientId who trained it
 * @param baseVersion the checkpoint version the client trained from
 * @param model full model weights
 * @param samples training examples behind the model, > 0
 * @param trainLoss mean training loss, finite
 */
public record ClientUpdate(String updateId, String clientId, long baseVersion, ParamVector model, double samples,
                           double trainLoss) {
    public ClientUpdate {
        CheckpointCommitted.requireValidId(updateId);
        Objects.requireNonNull(clientId, "clientId");
        if (baseVersion < 0) {
            throw new IllegalArgumentException("baseVersion must be >= 0, got " + baseVersion);
        }
        Objects.requireNonNull(model, "model");
        if (!(samples > 0) || !Double.isFinite(samples)) {
            throw new IllegalArgumentException("samples must be finite and > 0, got " + samples);
        }
        if (!Double.isFinite(trainLoss)) {
            throw new IllegalArgumentException("trainLoss must be finite, got " + trainLoss);
        }
    }
}
