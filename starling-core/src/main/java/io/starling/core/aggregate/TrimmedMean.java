package io.starling.core.aggregate;

import io.starling.core.param.ParamVector;
import java.util.List;

/**
 * Coordinate-wise trimmed mean (Yin et al. 2018): for each parameter, drop the
 * {@code floor(beta * n)} smallest and largest values and average the rest. With
 * {@code beta >= f / n} and {@code f < n / 2} adversarial contributions, each output coordinate
 * stays within the range of the honest values, and it averages away more noise than the median.
 * Ignores sample counts. Order-independent.
 *
 * @param beta fraction trimmed from each end, in [0, 0.5)
 */
public record TrimmedMean(double beta) implements AggregationRule {
    public static final String NAME = "trimmed-mean";

    public TrimmedMean {
        if (!(beta >= 0 && beta < 0.5)) {
            throw new InvalidRuleParameterException("beta", "beta must be in [0, 0.5), got " + beta);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String spec() {
        return NAME + ":beta=" + AggregationRules.format(beta);
    }

    /** How many values are dropped from each end for {@code n} contributions. */
    public int trimCount(int n) {
        return (int) Math.floor(beta * n);
    }

    @Override
    public ParamVector aggregate(ParamVector global, List<Contribution> contributions) {
        ContributionChecks.requireValid(NAME, global, contributions);
        float[][] xs = ContributionChecks.weights(global, contributions);
        return ParamVector.wrap(CoordinateSelection.trimmedMean(xs, global.size(), trimCount(xs.length)));
    }
}
