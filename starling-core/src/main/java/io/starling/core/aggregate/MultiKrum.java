package io.starling.core.aggregate;

import io.starling.core.param.ParamVector;
import java.util.List;

/**
 * Multi-Krum (Blanchard et al. 2017): the plain mean of the {@code m} models with the lowest Krum
 * scores. {@code m = 1} is {@link Krum}; larger {@code m} (up to {@code n - f}) trades some
 * robustness margin for the variance reduction of averaging. Needs {@code n >= 2f + 3}.
 * Order-independent.
 *
 * @param f number of adversarial contributions to tolerate, >= 0
 * @param m number of models averaged, >= 1
 */
public record MultiKrum(int f, int m) implements AggregationRule {
    public static final String NAME = "multi-krum";

    public MultiKrum {
        if (f < 0) {
            throw new InvalidRuleParameterException("f", "f must be >= 0, got " + f);
        }
        if (m < 1) {
            throw new InvalidRuleParameterException("m", "m must be >= 1, got " + m);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String spec() {
        return NAME + ":f=" + f + ",m=" + m;
    }

    @Override
    public ParamVector aggregate(ParamVector global, List<Contribution> contributions) {
        ContributionChecks.requireValid(NAME, global, contributions);
        int n = contributions.size();
        KrumScores.requireEnough(NAME, n, f);
        if (m > n - f) {
            throw new NotEnoughContributionsException(NAME, m + f, n,
                    "averaging m=" + m + " models must leave out the f=" + f + " possibly adversarial ones");
        }
        float[][] xs = ContributionChecks.weights(global, contributions);
        int[] picked = KrumScores.lowest(KrumScores.scores(xs, f), xs, m);
        float[][] chosen = new float[m][];
        double[] coeffs = new double[m];
        for (int i = 0; i < m; i++) {
            chosen[i] = xs[picked[i]];
            coeffs[i] = 1.0 / m;
        }
        return ParamVector.wrap(WeightedSum.combine(NAME, chosen, coeffs, global.size()));
    }
}
