package io.starling.core.privacy;

import io.starling.core.aggregate.Contribution;
import io.starling.core.param.ParamVector;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Client-level differential privacy for federated averaging (DP-FedAvg, McMahan et al. 2018):
 * clip every client's delta to L2 norm {@code clipNorm}, average the clipped deltas with equal
 * weights over {@code expectedClients}, and add Gaussian noise with standard deviation
 * {@code noiseMultiplier * clipNorm / expectedClients} to every coordinate:
 *
 * <pre>  x' = x + (1/m) sum_i clip(delta_i) + N(0, (sigma * C / m)^2 I)</pre>
 *
 * <p>One client changes the sum by at most {@code C}, so each round is a Gaussian mechanism with
 * noise multiplier {@code sigma}; {@link RdpAccountant} turns rounds into an (epsilon, delta)
 * guarantee. {@code m} must be fixed in advance (the expected number of sampled clients), not
 * the number that happened to report, or the sensitivity argument breaks. Sample weights are
 * ignored for the same reason.
 *
 * <p>The randomness is a parameter: a seeded generator for reproducible experiments, a
 * {@link java.security.SecureRandom} in deployment.
 *
 * @param clipNorm L2 bound C on each client's delta, > 0
 * @param noiseMultiplier sigma, the noise standard deviation in units of C, >= 0
 * @param expectedClients m, the number of clients sampled per round, >= 1
 */
public record GaussianClientDp(double clipNorm, double noiseMultiplier, int expectedClients) {
    public GaussianClientDp {
        if (!(clipNorm > 0) || !Double.isFinite(clipNorm)) {
            throw new IllegalArgumentException("clipNorm must be > 0, got " + clipNorm);
        }
        if (!(noiseMultiplier >= 0) || !Double.isFinite(noiseMultiplier)) {
            throw new IllegalArgumentException("noiseMultiplier must be >= 0, got " + noiseMultiplier);
        }
        if (expectedClients < 1) {
            throw new IllegalArgumentException("expectedClients must be >= 1, got " + expectedClients);
        }
    }

    /** {@code delta} scaled down to norm at most {@link #clipNorm()}; a new vector. */
    public ParamVector clip(ParamVector delta) {
        double norm = delta.norm();
        return norm > clipNorm ? delta.times(clipNorm / norm) : delta.copy();
    }

    /** Standard deviation of the noise added to each coordinate of the averaged delta. */
    public double noiseStddev() {
        return noiseMultiplier * clipNorm / expectedClients;
    }

    /**
     * The next global model from one round's contributions.
     *
     * @throws IllegalArgumentException if more contributions arrive than {@code expectedClients}
     *     or none at all
     */
    public ParamVector aggregate(ParamVector global, List<Contribution> contributions, RandomGenerator random) {
        if (contributions.isEmpty()) {
            throw new IllegalArgumentException("DP aggregation needs at least one contribution, got none");
        }
        if (contributions.size() > expectedClients) {
            throw new IllegalArgumentException(contributions.size() + " contributions exceed the "
                    + expectedClients + " expected clients the noise was calibrated for");
        }
        global.requireFinite("DP global model");
        ParamVector sum = ParamVector.zeros(global.size());
        for (int i = 0; i < contributions.size(); i++) {
            ParamVector delta = contributions.get(i).deltaFrom(global)
                    .requireSize("DP contribution " + i, global.size())
                    .requireFinite("DP contribution " + i);
            sum.addInPlace(clip(delta));
        }
        float[] v = sum.array();
        double scale = 1.0 / expectedClients;
        double sd = noiseStddev();
        for (int j = 0; j < v.length; j++) {
            v[j] = (float) (v[j] * scale + sd * random.nextGaussian());
        }
        return global.plus(sum);
    }
}
