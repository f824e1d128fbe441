package io.starling.core.aggregate;

import io.starling.core.param.ParamVector;
import java.util.List;

/**
 * Norm bounding (Sun et al. 2019, "Can You Really Backdoor Federated Learning?"): each update
 * {@code delta_i = w_i - global} is scaled down to norm at most {@code bound},
 * {@code delta_i * min(1, bound / ||delta_i||)}, and the clipped deltas are averaged by sample
 * count: {@code w = global + sum_i n_i clip(delta_i) / sum_i n_i}. Cheap, keeps FedAvg's
 * behaviour for honest updates, and caps how far one (boosted, backdoored) update can pull the
 * model. Order-independent.
 *
 * @param bound maximum L2 norm of an update, > 0
 */
public record NormBounding(double bound) implements AggregationRule {
    public static final String NAME = "norm-bounding";

    public NormBounding {
        if (!(bound > 0) || !Double.isFinite(bound)) {
            throw new InvalidRuleParameterException("bound", "bound must be > 0, got " + bound);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String spec() {
        return NAME + ":bound=" + AggregationRules.format(bound);
    }

    @Override
    public ParamVector aggregate(ParamVector global, List<Contribution> contributions) {
        ContributionChecks.requireValid(NAME, global, contributions);
        int n = contributions.size();
        double total = 0;
        for (Contribution c : contributions) {
            total += c.samples();
        }
        float[][] xs = new float[n + 1][];
        double[] coeffs = new double[n + 1];
        xs[0] = global.array();
        coeffs[0] = 1.0;
        for (int i = 0; i < n; i++) {
            Contribution c = contributions.get(i);
            ParamVector delta = c.deltaFrom(global);
            double norm = delta.norm();
            double clip = norm > bound ? bound / norm : 1.0;
            xs[i + 1] = delta.array();
            coeffs[i + 1] = clip * c.samples() / total;
        }
        return ParamVector.wrap(WeightedSum.combine(NAME, xs, coeffs, global.size()));
    }
}
