package io.starling.core.aggregate;

import io.starling.core.param.ParamVector;
import java.util.List;

/**
 * Federated averaging (McMahan et al. 2017): the sample-weighted mean of the contributed models,
 * {@code w = sum_i n_i w_i / sum_i n_i}. The synchronous baseline; optimal when clients are
 * honest and train from the same global model. Order-independent.
 */
public record FedAvg() implements AggregationRule {
    public static final String NAME = "fedavg";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ParamVector aggregate(ParamVector global, List<Contribution> contributions) {
        ContributionChecks.requireShapes(NAME, global, contributions);
        global.requireFinite(NAME + " global model");
        double total = 0;
        for (Contribution c : contributions) {
            total += c.samples();
        }
        double[] coeffs = new double[contributions.size()];
        for (int i = 0; i < coeffs.length; i++) {
            coeffs[i] = contributions.get(i).samples() / total;
        }
        float[][] xs = ContributionChecks.weights(global, contributions);
        return ParamVector.wrap(WeightedSum.combine(NAME, xs, coeffs, global.size()));
    }
}
