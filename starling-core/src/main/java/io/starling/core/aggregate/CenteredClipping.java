package io.starling.core.aggregate;

import io.starling.core.param.ParamVector;
import java.util.List;

/**
 * Centered clipping (Karimireddy, He and Jaggi 2021, "Learning from History for Byzantine Robust
 * Optimization"): starting from a center {@code v}, repeat {@code iterations} times
 * {@code v <- v + (1/n) sum_i (delta_i - v) * min(1, tau / ||delta_i - v||)}, then return
 * {@code global + v}. Each update can move the center by at most {@code tau / n}, so a few
 * far-away adversaries cannot drag it, while honest updates inside the radius count fully.
 *
 * <p>The rule is stateless: the center starts at the zero delta (the current global model), not
 * at the previous round's momentum as in the paper; pick {@code tau} around the typical honest
 * update norm. Ignores sample counts. Order-independent up to float rounding.
 *
 * @param tau clipping radius, > 0
 * @param iterations clipping iterations, >= 1 (the paper finds 1 enough with momentum)
 */
public record CenteredClipping(double tau, int iterations) implements AggregationRule {
    public static final String NAME = "centered-clipping";

    public CenteredClipping {
        if (!(tau > 0) || !Double.isFinite(tau)) {
            throw new InvalidRuleParameterException("tau", "tau must be > 0, got " + tau);
        }
        if (iterations < 1) {
            throw new InvalidRuleParameterException("iters", "iterations must be >= 1, got " + iterations);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String spec() {
        return NAME + ":tau=" + AggregationRules.format(tau) + ",iters=" + iterations;
    }

    @Override
    public ParamVector aggregate(ParamVector global, List<Contribution> contributions) {
        ContributionChecks.requireValid(NAME, global, contributions);
        float[][] deltas = ContributionChecks.deltas(global, contributions);
        int n = deltas.length;
        int dim = global.size();
        float[] center = new float[dim];
        double[] step = new double[dim];
        for (int it = 0; it < iterations; it++) {
            java.util.Arrays.fill(step, 0);
            for (float[] d : deltas) {
                double dist = distance(d, center);
                double scale = dist > tau ? tau / dist : 1.0;
                for (int j = 0; j < dim; j++) {
                    step[j] += scale * (d[j] - center[j]);
                }
            }
            for (int j = 0; j < dim; j++) {
                center[j] += (float) (step[j] / n);
            }
        }
        return global.plus(ParamVector.wrap(center));
    }

    private static double distance(float[] a, float[] b) {
        double sum = 0;
        for (int j = 0; j < a.length; j++) {
            double d = (double) a[j] - b[j];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }
}
