package io.starling.core.aggregate;

import io.starling.core.param.ParamVector;
import java.util.List;

/**
 * Combines contributions into the next global model. Each rule (FedAvg, FedAsync mixing, FedBuff,
 * doubly weighted averaging, median, trimmed mean, Krum, centered clipping, norm bounding) is
 * one small class behind this interface, so protocols switch rules by configuration
 * ({@link AggregationRules#parse}).
 *
 * <p>Rules never modify their inputs and hold no mutable state, so one instance may serve many
 * threads. They validate that every contribution has the dimension of {@code global} and finite
 * values, throwing {@link io.starling.core.param.DimensionMismatchException} or
 * {@link io.starling.core.param.NonFiniteValueException}, and reject an empty list with
 * {@link IllegalArgumentException}.
 */
public interface AggregationRule {
    /** Short name used in configs and reports, e.g. {@code fedavg}. */
    String name();

    /**
     * The canonical spec string with every parameter, e.g. {@code krum:f=2}; parsing it with
     * {@link AggregationRules#parse} yields an equal rule.
     */
    default String spec() {
        return name();
    }

    /**
     * @param global the current global model (the base of deltas)
     * @param contributions the models to combine, at least one
     * @return a new vector: the next global model
     */
    ParamVector aggregate(ParamVector global, List<Contribution> contributions);
}
