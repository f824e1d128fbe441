package io.starling.sim.trace;

/**
 * Distributions of the heterogeneous device generator (see docs/simulator.md). Log-normal
 * quantities are given by their median and the standard deviation {@code sigma} of their log.
 *
 * @param computeMedianSamplesPerS median training throughput
 * @param computeSigma log-sd of throughput
 * @param uplinkMedianKbps median upload bandwidth, kbit/s
 * @param downlinkMedianKbps median download bandwidth, kbit/s
 * @param bandwidthSigma log-sd of both bandwidths (drawn independently)
 * @param latencyMedianMs median one-way latency
 * @param latencySigma log-sd of latency
 * @param alwaysOnFraction share of devices online around the clock (plugged-in, on Wi-Fi)
 * @param nightStartMeanHour mean local hour at which the nightly (charging) session starts
 * @param nightStartSdHours standard deviation of that hour across devices
 * @param nightMedianHours median length of the nightly session
 * @param daySessionsPerDay mean number of short daytime sessions (Poisson)
 * @param daySessionMeanMinutes mean length of a daytime session (exponential)
 * @param joulesPerSampleAtMedian energy per trained sample of a median-speed device; slower devices pay proportionally more
 * @param joulesPerMbSent energy per MB sent
 * @param joulesPerMbReceived energy per MB received
 * @param idleWatts idle draw while online
 * @param batteryFraction share of devices on a battery budget
 * @param batteryJ the budget of those devices
 */
public record GeneratorParams(double computeMedianSamplesPerS, double computeSigma,
                              double uplinkMedianKbps, double downlinkMedianKbps, double bandwidthSigma,
                              double latencyMedianMs, double latencySigma,
                              double alwaysOnFraction, double nightStartMeanHour, double nightStartSdHours,
                              double nightMedianHours, double daySessionsPerDay, double daySessionMeanMinutes,
                              double joulesPerSampleAtMedian, double joulesPerMbSent, double joulesPerMbReceived,
                              double idleWatts, double batteryFraction, double batteryJ) {
    public GeneratorParams {
        positive("computeMedianSamplesPerS", computeMedianSamplesPerS);
        positive("uplinkMedianKbps", uplinkMedianKbps);
        positive("downlinkMedianKbps", downlinkMedianKbps);
        positive("nightMedianHours", nightMedianHours);
        positive("daySessionMeanMinutes", daySessionMeanMinutes);
        nonNegative("computeSigma", computeSigma);
        nonNegative("bandwidthSigma", bandwidthSigma);
        nonNegative("latencyMedianMs", latencyMedianMs);
        nonNegative("latencySigma", latencySigma);
        nonNegative("nightStartSdHours", nightStartSdHours);
        nonNegative("daySessionsPerDay", daySessionsPerDay);
        nonNegative("joulesPerSampleAtMedian", joulesPerSampleAtMedian);
        nonNegative("joulesPerMbSent", joulesPerMbSent);
        nonNegative("joulesPerMbReceived", joulesPerMbReceived);
        nonNegative("idleWatts", idleWatts);
        nonNegative("batteryJ", batteryJ);
        fraction("alwaysOnFraction", alwaysOnFraction);
        fraction("batteryFraction", batteryFraction);
        if (!(nightStartMeanHour >= 0 && nightStartMeanHour < 24)) {
            throw new IllegalArgumentException("nightStartMeanHour must be in [0, 24), got " + nightStartMeanHour);
        }
    }

    /**
     * Phone-like defaults: median 50 samples/s (sigma 0.8), 2 Mbit/s up and 10 Mbit/s down
     * (sigma 0.9), 50 ms latency; 10% always on, nightly session from ~22:00 (sd 2 h) for a median
     * 7 h, 2 daytime sessions of 20 min; 0.02 J/sample, 5 J/MB sent, 2 J/MB received, 0.05 W idle;
     * 30% of devices on a 5 kJ budget.
     */
    public static GeneratorParams defaults() {
        return new GeneratorParams(50, 0.8, 2_000, 10_000, 0.9, 50, 0.5,
                0.10, 22, 2, 7, 2, 20,
                0.02, 5, 2, 0.05, 0.3, 5_000);
    }

    private static void positive(String n, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(n + " must be a finite number > 0, got " + v);
        }
    }

    private static void nonNegative(String n, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(n + " must be a finite number >= 0, got " + v);
        }
    }

    private static void fraction(String n, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(n + " must be in [0, 1], got " + v);
        }
    }
}
