package io.starling.core.privacy;

/**
 * Privacy accounting for repeated subsampled Gaussian mechanisms (DP-SGD, DP-FedAvg) with Rényi
 * differential privacy (Mironov 2017; Mironov, Talwar and Zhang 2019).
 *
 * <p>Each step samples every client with probability {@code q} and adds Gaussian noise with
 * multiplier {@code sigma}. For an integer order {@code a >= 2} one step costs exactly
 *
 * <pre>  RDP(a) = log( sum_{k=0..a} C(a,k) (1-q)^(a-k) q^k exp((k^2 - k) / (2 sigma^2)) ) / (a - 1)</pre>
 *
 * RDP composes by addition over steps, and {@code T} steps give (epsilon, delta)-DP with
 * {@code epsilon = min_a [ T RDP(a) + log((a-1)/a) - (log delta + log a) / (a - 1) ]} (Balle et
 * al. 2020, Thm. 21; tighter than the classic {@code log(1/delta)/(a-1)}). Orders 2..256 are
 * searched. Computed in log space, so large orders do not overflow.
 *
 * @param noiseMultiplier sigma, > 0
 * @param samplingRate q in (0, 1]; 1 for full participation
 */
public record RdpAccountant(double noiseMultiplier, double samplingRate) {
    static final int MAX_ORDER = 256;

    /** What {@code steps} steps cost at {@code delta}, with the order that achieved it. */
    public record PrivacySpent(double epsilon, double delta, int order, long steps) {
    }

    public RdpAccountant {
        if (!(noiseMultiplier > 0) || !Double.isFinite(noiseMultiplier)) {
            throw new IllegalArgumentException("noiseMultiplier must be > 0, got " + noiseMultiplier);
        }
        if (!(samplingRate > 0 && samplingRate <= 1)) {
            throw new IllegalArgumentException("samplingRate must be in (0, 1], got " + samplingRate);
        }
    }

    /** RDP of one step at integer order {@code order >= 2}. */
    public double rdpPerStep(int order) {
        if (order < 2) {
            throw new IllegalArgumentException("order must be >= 2, got " + order);
        }
        double q = samplingRate;
        double twoSigma2 = 2 * noiseMultiplier * noiseMultiplier;
        if (q == 1.0) {
            return order / twoSigma2;
        }
        double logQ = Math.log(q);
        double log1mQ = Math.log1p(-q);
        double max = Double.NEGATIVE_INFINITY;
        double[] terms = new double[order + 1];
        double logBinom = 0;
        for (int k = 0; k <= order; k++) {
            if (k > 0) {
                logBinom += Math.log(order - k + 1) - Math.log(k);
            }
            terms[k] = logBinom + (order - k) * log1mQ + k * logQ + ((double) k * k - k) / twoSigma2;
            max = Math.max(max, terms[k]);
        }
        double sum = 0;
        for (double t : terms) {
            sum += Math.exp(t - max);
        }
        return (max + Math.log(sum)) / (order - 1);
    }

    /** The (epsilon, delta) guarantee after {@code steps} steps. */
    public PrivacySpent spent(long steps, double delta) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
        }
        double best = Double.POSITIVE_INFINITY;
        int bestOrder = 2;
        for (int a = 2; a <= MAX_ORDER; a++) {
            double eps = steps * rdpPerStep(a) + Math.log((a - 1.0) / a) - (Math.log(delta) + Math.log(a)) / (a - 1);
            if (eps < best) {
                best = eps;
                bestOrder = a;
            }
        }
        return new PrivacySpent(Math.max(0, best), delta, bestOrder, steps);
    }
}
