package io.starling.core.aggregate;

import io.starling.core.param.ParamVector;
import java.util.List;
import java.util.Objects;

/**
 * FedAsync mixing (Xie et al. 2019): each arriving model {@code x_new} that is {@code t - tau}
 * versions stale moves the global model {@code x <- (1 - a) x + a x_new} with
 * {@code a = alpha * s(t - tau)}.
 *
 * <p>Contributions are applied one after another in list order, each against the running result
 * (so this rule is order-dependent by nature). A {@link Contribution.Form#DELTA} contribution is
 * taken as {@code x_new = x + delta}, i.e. the step is {@code a * delta}. {@code alpha = 0} keeps
 * the global model; {@code alpha = 1} with a fresh update replaces it.
 *
 * @param alpha mixing weight in [0, 1]; Xie et al. use 0.6 to 0.9
 * @param staleness discount for stale updates
 */
public record FedAsync(double alpha, StalenessFunction staleness) implements AggregationRule {
    public static final String NAME = "fedasync";

    public FedAsync {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new InvalidRuleParameterException("alpha", "alpha must be in [0, 1], got " + alpha);
        }
        Objects.requireNonNull(staleness, "staleness");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String spec() {
        return NAME + ":alpha=" + AggregationRules.format(alpha) + ",staleness=" + staleness.spec();
    }

    /** The mixing weight {@code alpha * s(staleness)} this rule gives an update. */
    public double mixingWeight(long stalenessVersions) {
        return alpha * staleness.weight(stalenessVersions);
    }

    @Override
    public ParamVector aggregate(ParamVector global, List<Contribution> contributions) {
        ContributionChecks.requireValid(NAME, global, contributions);
        ParamVector x = global.copy();
        for (Contribution c : contributions) {
            double a = mixingWeight(c.staleness());
            if (c.form() == Contribution.Form.DELTA) {
                x.axpyInPlace(a, c.model());
            } else {
                x.lerpInPlace(a, c.model());
            }
        }
        return x;
    }
}
