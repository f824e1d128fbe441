package io.starling.core.aggregate;

import io.starling.core.param.ParamVector;
import java.util.List;
import java.util.Objects;

/**
 * FedBuff (Nguyen et al. 2022, "Federated Learning with Buffered Asynchronous Aggregation"): the
 * server buffers client deltas and, once {@link #bufferSize()} have arrived, applies their mean
 * with a server learning rate: {@code w = global + lr * (1/K) sum_i s(tau_i) delta_i}.
 *
 * <p>The protocol owns the buffer and calls {@link #aggregate} when it holds {@code k} updates (or
 * flushes early on a timeout); the mean is over the contributions actually given. Deltas come
 * from {@link Contribution#deltaFrom}: stale clients should send {@link Contribution.Form#DELTA}
 * contributions against their own base. The optional staleness discount is the
 * {@code 1/sqrt(1 + tau)} of the paper with {@code poly:0.5}. Order-independent.
 *
 * @param k buffer size K, >= 1
 * @param serverLearningRate server step size, > 0 (1.0 applies the mean delta as is)
 * @param staleness per-update discount; {@link StalenessFunction.Constant} for none
 */
public record FedBuff(int k, double serverLearningRate, StalenessFunction staleness) implements AggregationRule {
    public static final String NAME = "fedbuff";

    public FedBuff {
        if (k < 1) {
            throw new InvalidRuleParameterException("k", "buffer size k must be >= 1, got " + k);
        }
        if (!(serverLearningRate > 0) || !Double.isFinite(serverLearningRate)) {
            throw new InvalidRuleParameterException("lr", "server learning rate must be > 0, got " + serverLearningRate);
        }
        Objects.requireNonNull(staleness, "staleness");
    }

    /** How many updates the protocol buffers before calling {@link #aggregate}. */
    public int bufferSize() {
        return k;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String spec() {
        return NAME + ":k=" + k + ",lr=" + AggregationRules.format(serverLearningRate)
                + ",staleness=" + staleness.spec();
    }

    @Override
    public ParamVector aggregate(ParamVector global, List<Contribution> contributions) {
        ContributionChecks.requireValid(NAME, global, contributions);
        int n = contributions.size();
        float[][] xs = new float[n + 1][];
        double[] coeffs = new double[n + 1];
        xs[0] = global.array();
        coeffs[0] = 1.0;
        for (int i = 0; i < n; i++) {
            Contribution c = contributions.get(i);
            xs[i + 1] = c.deltaFrom(global).array();
            coeffs[i + 1] = serverLearningRate * staleness.weight(c.staleness()) / n;
        }
        return ParamVector.wrap(WeightedSum.combine(NAME, xs, coeffs, global.size()));
    }
}
