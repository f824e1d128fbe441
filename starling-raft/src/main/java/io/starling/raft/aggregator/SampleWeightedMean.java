package io.starling.raft.aggregator;

import io.starling.core.aggregate.AggregationRule;
import io.starling.core.aggregate.Contribution;
import io.starling.core.param.ParamVector;
import java.util.List;

/**
 * Federated averaging of full client models, weighted by sample counts:
 * {@code w = sum(n_i * w_i) / sum(n_i)}. The replicated aggregator's default until the rules of
 * {@code io.starling.core.aggregate} are wired in by configuration.
 */
public final class SampleWeightedMean implements AggregationRule {
    @Override
    public String name() {
        return "mean";
    }

    @Override
    public ParamVector aggregate(ParamVector global, List<Contribution> contributions) {
        if (contributions.isEmpty()) {
            throw new IllegalArgumentException("nothing to aggregate");
        }
        ParamVector sum = ParamVector.zeros(global.size());
        double total = 0;
        for (Contribution c : contributions) {
            c.model().requireSize("contribution", global.size()).requireFinite("contribution");
            sum.axpyInPlace(c.samples(), c.model());
            total += c.samples();
        }
        return sum.scaleInPlace(1.0 / total);
    }
}
