package io.starling.core.aggregate;

import io.starling.core.param.ParamVector;
import java.util.List;

/**
 * Coordinate-wise median (Yin et al. 2018): each parameter is the median of that parameter over
 * the contributed models (mean of the two middle values for an even count). Ignores sample
 * counts. Tolerates fewer than half the contributions being arbitrary (Byzantine): each output
 * coordinate stays within the range of the honest values. Order-independent.
 */
public record CoordinateMedian() implements AggregationRule {
    public static final String NAME = "median";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ParamVector aggregate(ParamVector global, List<Contribution> contributions) {
        ContributionChecks.requireValid(NAME, global, contributions);
        float[][] xs = ContributionChecks.weights(global, contributions);
        return ParamVector.wrap(CoordinateSelection.median(xs, global.size()));
    }
}
