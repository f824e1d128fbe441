package io.starling.core.aggregate;

import io.starling.core.param.ParamVector;

/**
 * One model offered for aggregation: a client's locally trained weights (or the delta it
 * trained), a gossip peer's model, or the server's own model (in doubly weighted averaging).
 *
 * <p>Every rule sees contributions both as <em>weights</em> and as <em>deltas</em>: a
 * {@link Form#WEIGHTS} contribution's delta is {@code model - global}, a {@link Form#DELTA}
 * contribution's weights are {@code global + model}. A stale asynchronous client should send a
 * delta against its own base version: {@code model - global} would also count every global
 * update it missed.
 *
 * @param model full model weights, or a delta when {@code form == DELTA}
 * @param samples training examples behind this model (FedAvg weight), > 0
 * @param staleness how many global versions passed since the model's base version, >= 0
 * @param age how many updates this model has absorbed (gossip model age), >= 0
 * @param origin whose model this is
 * @param form whether {@code model} holds weights or a delta
 */
public record Contribution(ParamVector model, double samples, long staleness, double age, Origin origin,
                           Form form) {
    /** Whose model a contribution is; doubly weighted averaging trusts them differently. */
    public enum Origin { CLIENT, PEER, SERVER }

    /** What {@link Contribution#model()} holds. */
    public enum Form {
        /** Full model weights. */
        WEIGHTS,
        /** A change to add to the base model the client started from. */
        DELTA
    }

    public Contribution {
        if (model == null || origin == null || form == null) {
            throw new IllegalArgumentException("model, origin and form must not be null");
        }
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

    /** Full model weights (the original five-component form). */
    public Contribution(ParamVector model, double samples, long staleness, double age, Origin origin) {
        this(model, samples, staleness, age, origin, Form.WEIGHTS);
    }

    /** A fresh client model trained on {@code samples} examples. */
    public static Contribution ofClient(ParamVector model, double samples) {
        return new Contribution(model, samples, 0, 0, Origin.CLIENT);
    }

    /** A client model trained from a base that is {@code staleness} versions old. */
    public static Contribution ofStaleClient(ParamVector model, double samples, long staleness) {
        return new Contribution(model, samples, staleness, 0, Origin.CLIENT);
    }

    /** A client delta (trained weights minus the client's base) that is {@code staleness} versions old. */
    public static Contribution ofDelta(ParamVector delta, double samples, long staleness) {
        return new Contribution(delta, samples, staleness, 0, Origin.CLIENT, Form.DELTA);
    }

    /** A gossip peer's model that has absorbed {@code age} updates. */
    public static Contribution ofPeer(ParamVector model, double age) {
        return new Contribution(model, 1, 0, age, Origin.PEER);
    }

    /** The server's (aggregator's) model that has absorbed {@code age} updates. */
    public static Contribution ofServer(ParamVector model, double age) {
        return new Contribution(model, 1, 0, age, Origin.SERVER);
    }

    /** This contribution as full weights on top of {@code global}; never aliases {@code global}. */
    public ParamVector weightsOver(ParamVector global) {
        return form == Form.WEIGHTS ? model : global.plus(model);
    }

    /** This contribution as a delta from {@code global}; a new vector unless it already is a delta. */
    public ParamVector deltaFrom(ParamVector global) {
        return form == Form.DELTA ? model : model.minus(global);
    }
}
