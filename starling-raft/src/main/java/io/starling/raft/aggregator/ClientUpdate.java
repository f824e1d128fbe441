package io.starling.raft.aggregator;

import io.starling.core.param.ParamVector;
import io.starling.raft.log.CheckpointCommitted;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A client's model offered to the aggregator: normally one round of local training, or a model
 * the client trained by gossip while no leader answered (a <em>hand-back</em>, which the leader
 * merges by doubly weighted averaging instead of the aggregation rule). The update id makes
 * submission idempotent: the same id resent to any leader is absorbed at most once.
 *
 * @param updateId globally unique id chosen by the client (e.g. {@code client-3/round-17})
 * @param clientId who trained it
 * @param baseVersion the checkpoint version the client trained from
 * @param model full model weights
 * @param samples training examples behind the model, > 0
 * @param trainLoss mean training loss, finite
 * @param gossipAge empty for a locally trained update; for a hand-back, the gossip model's age
 *     (updates it has absorbed: local trainings and merges), finite and >= 0
 */
public record ClientUpdate(String updateId, String clientId, long baseVersion, ParamVector model, double samples,
                           double trainLoss, OptionalDouble gossipAge) {
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
        Objects.requireNonNull(gossipAge, "gossipAge (OptionalDouble.empty() for a trained update)");
        if (gossipAge.isPresent() && !(gossipAge.getAsDouble() >= 0 && Double.isFinite(gossipAge.getAsDouble()))) {
            throw new IllegalArgumentException("gossipAge must be finite and >= 0, got " + gossipAge.getAsDouble());
        }
    }

    /** A locally trained update (no gossip age). */
    public ClientUpdate(String updateId, String clientId, long baseVersion, ParamVector model, double samples,
                        double trainLoss) {
        this(updateId, clientId, baseVersion, model, samples, trainLoss, OptionalDouble.empty());
    }

    /**
     * A gossip-trained model handed back after a leaderless period.
     *
     * @param baseVersion the version the client reconnected at
     * @param age the gossip model's age
     */
    public static ClientUpdate handBack(String updateId, String clientId, long baseVersion, ParamVector model,
                                        double samples, double age) {
        return new ClientUpdate(updateId, clientId, baseVersion, model, samples, 0, OptionalDouble.of(age));
    }

    /** True for a gossip-trained model handed back (merged by doubly weighted averaging). */
    public boolean isHandBack() {
        return gossipAge.isPresent();
    }
}
