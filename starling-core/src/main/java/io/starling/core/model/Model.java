package io.starling.core.model;

import io.starling.core.data.Dataset;
import io.starling.core.param.ParamVector;

/**
 * A trainable classifier whose whole state that federated learning exchanges is one flat
 * {@link ParamVector}. Protocols, the simulator and the network code see models only through
 * this interface, so any engine (the built-in pure-Java one, or an optional adapter) plugs in.
 *
 * <p>Implementations are deterministic: the same parameters, data and {@link TrainConfig#seed()}
 * give the same result. They are not thread-safe; use one instance per thread.
 */
public interface Model {
    /** The spec this model was built from, e.g. {@code mlp(784,128,10)}. */
    String spec();

    /** Number of parameters, i.e. the size of {@link #params()}. */
    int paramCount();

    /** A copy of the current parameters. */
    ParamVector params();

    /**
     * Replaces the parameters.
     *
     * @throws io.starling.core.param.DimensionMismatchException if the size differs from
     *     {@link #paramCount()}
     * @throws io.starling.core.param.NonFiniteValueException if a value is NaN or infinite
     */
    void setParams(ParamVector params);

    /** Trains in place on {@code data} and reports the mean training loss. */
    TrainResult train(Dataset data, TrainConfig config);

    /**
     * Like {@link #train(Dataset, TrainConfig)}, reporting progress to {@code listener}. Engines
     * that cannot report per step report once at the end (this default).
     */
    default TrainResult train(Dataset data, TrainConfig config, TrainListener listener) {
        TrainResult result = train(data, config);
        listener.onStep(result.steps(), result.steps(), result.samples());
        return result;
    }

    /** Accuracy and mean loss on {@code data}; does not change the model. */
    Metrics evaluate(Dataset data);

    /** An independent model with the same spec and a copy of the parameters. */
    Model copy();
}
