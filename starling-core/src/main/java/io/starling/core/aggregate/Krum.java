package io.starling.core.aggregate;

import io.starling.core.param.ParamVector;
import java.util.List;

/**
 * Krum (Blanchard et al. 2017, "Machine Learning with Adversaries"): returns the one contributed
 * model whose {@code n - f - 2} nearest neighbours are closest (smallest sum of squared
 * distances). With {@code n >= 2f + 3} and at most {@code f} Byzantine contributions, the chosen
 * model is provably close to the honest ones. Discards all but one model, so it converges slower
 * than averaging; see {@link MultiKrum}. Order-independent.
 *
 * @param f number of adversarial contributions to tolerate, >= 0
 */
public record Krum(int f) implements AggregationRule {
    public static final String NAME = "krum";

    public Krum {
        if (f < 0) {
            throw new InvalidRuleParameterException("f", "f must be >= 0, got " + f);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String spec() {
        return NAME + ":f=" + f;
    }

    @Override
    public ParamVector aggregate(ParamVector global, List<Contribution> contributions) {
        ContributionChecks.requireValid(NAME, global, contributions);
        KrumScores.requireEnough(NAME, contributions.size(), f);
        float[][] xs = ContributionChecks.weights(global, contributions);
        int best = KrumScores.lowest(KrumScores.scores(xs, f), xs, 1)[0];
        return ParamVector.of(xs[best]);
    }
}
