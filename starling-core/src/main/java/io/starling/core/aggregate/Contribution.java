package io.starling.core.aggregate;

import io.starling.core.param.ParamVector;

/**
 * One model offered for aggregation: a client's locally trained weights, a gossip peer's model,
 * or the server's own model (in doubly weighted averaging).
 *
 * @param model full model weights (not a delta); rules that need deltas subtract the global model
 * @param samples training examples behind this model (FedAvg weight), > 0
 * @param staleness how many global versions passed since the model's base version, >= 0
 * @param age how many updates this model has absorbed (gossip model age), >= 0
 * @param origin whose model this is
 */
public record Contribution(ParamVector model, double samples, long staleness, double age, Origin origin) {
    /** Whose model a contribution is; doubly weighted averaging trusts them differently. */
    public enum Origin { CLIENT, PEER, SERVER }

    public Contribution {
        if (!(samples > 0) || !Double.isFinite(samples)) {
            throw new IllegalArgumentException("samples must be > 0, got " + samples);
        }
        if (staleness < 0) {
            throw new IllegalArgumentException("staleness must be >= 0, got " + staleness);
        }
        if (!(age >= 0) || !Double.isFinite(age)) {
            throw new IllegalArgumentException("age must be >= 0, got " + age);
        }
    }

    /** A fresh client model trained on {@code samples} examples. */
    public static Contribution ofClient(ParamVector model, double samples) {
        return new Contribution(model, samples, 0, 0, Origin.CLIENT);
    }
}
