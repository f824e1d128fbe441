package io.starling.core.aggregate;

import io.starling.core.param.ParamVector;
import java.util.List;

/**
 * Doubly weighted averaging (DESIGN.md §4, hybrid mode): when an aggregator comes back, it merges
 * its own model with the models peers trained by gossip meanwhile, weighting each model both by
 * whose it is and by its age (how many updates it has absorbed):
 *
 * <pre>
 *   w = (lambda * a_s * w_s + sum_i (1 - lambda) * a_i * w_i) / (lambda * a_s + sum_i (1 - lambda) * a_i)
 *   new age = max(a_s, a_1, ..., a_m)          (see {@link #mergedAge})
 * </pre>
 *
 * <p>The server model enters as a contribution with {@link Contribution.Origin#SERVER} (see
 * {@link Contribution#ofServer}); every other contribution (peer or client) is a gossip model.
 * {@code global} only fixes the shape. Edge cases, chosen so the result is always defined:
 * <ul>
 *   <li>Only one group present (no server model, or only server models): {@code lambda} cancels
 *       and the result is the age-weighted mean of that group. With {@code lambda = 1/2} and only
 *       peers this is Hegedűs et al.'s age-weighted gossip merge.</li>
 *   <li>All ages zero, or every model with non-zero age having zero trust ({@code lambda} of 0 or
 *       1): ages carry no information, so every age is taken as 1 and the trust weights
 *       {@code lambda} / {@code 1 - lambda} alone decide.</li>
 * </ul>
 * Order-independent.
 *
 * @param lambda trust in the server model, in [0, 1]
 */
public record DoublyWeightedAveraging(double lambda) implements AggregationRule {
    public static final String NAME = "doubly-weighted";

    public DoublyWeightedAveraging {
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new InvalidRuleParameterException("lambda", "lambda must be in [0, 1], got " + lambda);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String spec() {
        return NAME + ":lambda=" + AggregationRules.format(lambda);
    }

    /** The age of the merged model: the largest age among the contributions. */
    public static double mergedAge(List<Contribution> contributions) {
        double age = 0;
        for (Contribution c : contributions) {
            age = Math.max(age, c.age());
        }
        return age;
    }

    @Override
    public ParamVector aggregate(ParamVector global, List<Contribution> contributions) {
        ContributionChecks.requireValid(NAME, global, contributions);
        int n = contributions.size();
        boolean hasServer = false;
        boolean hasOther = false;
        for (Contribution c : contributions) {
            boolean server = c.origin() == Contribution.Origin.SERVER;
            hasServer |= server;
            hasOther |= !server;
        }
        boolean bothGroups = hasServer && hasOther;
        double[] trust = new double[n];
        for (int i = 0; i < n; i++) {
            boolean server = contributions.get(i).origin() == Contribution.Origin.SERVER;
            trust[i] = !bothGroups ? 1.0 : server ? lambda : 1.0 - lambda;
        }
        double[] weights = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            weights[i] = trust[i] * contributions.get(i).age();
            total += weights[i];
        }
        if (!(total > 0)) {
            System.arraycopy(trust, 0, weights, 0, n);
            total = 0;
            for (double t : trust) {
                total += t;
            }
        }
        for (int i = 0; i < n; i++) {
            weights[i] /= total;
        }
        float[][] xs = ContributionChecks.weights(global, contributions);
        return ParamVector.wrap(WeightedSum.combine(NAME, xs, weights, global.size()));
    }
}
