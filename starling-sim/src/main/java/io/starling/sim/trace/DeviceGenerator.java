package io.starling.sim.trace;

import io.starling.protocol.Rng;
import io.starling.sim.device.Availability;
import io.starling.sim.device.DeviceProfile;
import io.starling.sim.device.EnergyModel;
import io.starling.sim.device.IntervalAvailability;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates heterogeneous devices: log-normal compute, bandwidth and latency, and a diurnal
 * availability pattern (a nightly charging session plus short daytime sessions, repeating every
 * 24 h). Deterministic for a given {@link Rng}. Parameters and their defaults are documented in
 * docs/simulator.md.
 */
public final class DeviceGenerator {
    static final long DAY_MS = 86_400_000L;
    private final GeneratorParams params;

    public DeviceGenerator(GeneratorParams params) {
        this.params = params;
    }

    public DeviceTrace generate(int count, Rng rng) {
        if (count < 1) {
            throw new IllegalArgumentException("device count must be >= 1, got " + count);
        }
        List<DeviceTrace.Entry> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(generateOne(i, rng));
        }
        return new DeviceTrace(out);
    }

    private DeviceTrace.Entry generateOne(int index, Rng rng) {
        GeneratorParams p = params;
        double compute = logNormal(rng, p.computeMedianSamplesPerS(), p.computeSigma());
        double upKbps = logNormal(rng, p.uplinkMedianKbps(), p.bandwidthSigma());
        double downKbps = logNormal(rng, p.downlinkMedianKbps(), p.bandwidthSigma());
        long latencyMs = Math.round(logNormal(rng, Math.max(p.latencyMedianMs(), 1e-9), p.latencySigma()));
        double jPerSample = p.joulesPerSampleAtMedian() * p.computeMedianSamplesPerS() / compute;
        boolean battery = rng.nextDouble() < p.batteryFraction();
        EnergyModel energy = new EnergyModel(jPerSample, p.joulesPerMbSent(), p.joulesPerMbReceived(), p.idleWatts());
        DeviceProfile profile = new DeviceProfile(compute, upKbps * 125, downKbps * 125, latencyMs, energy,
                battery ? p.batteryJ() : 0);
        return new DeviceTrace.Entry("gen-" + index, profile, availability(rng));
    }

    private Availability availability(Rng rng) {
        GeneratorParams p = params;
        if (rng.nextDouble() < p.alwaysOnFraction()) {
            return Availability.ALWAYS;
        }
        List<long[]> sessions = new ArrayList<>();
        double startH = p.nightStartMeanHour() + p.nightStartSdHours() * gaussian(rng);
        long start = Math.floorMod(Math.round(startH * 3_600_000), DAY_MS);
        long length = Math.min(DAY_MS - 60_000, Math.round(logNormal(rng, p.nightMedianHours(), 0.3) * 3_600_000));
        addWrapped(sessions, start, length);
        int daySessions = poisson(rng, p.daySessionsPerDay());
        for (int k = 0; k < daySessions; k++) {
            long s = (long) (rng.nextDouble() * DAY_MS);
            long len = Math.max(60_000, Math.round(-Math.log(1 - rng.nextDouble()) * p.daySessionMeanMinutes() * 60_000));
            addWrapped(sessions, s, Math.min(len, DAY_MS - 60_000));
        }
        return merge(sessions);
    }

    private static void addWrapped(List<long[]> sessions, long start, long length) {
        long end = start + length;
        if (end <= DAY_MS) {
            sessions.add(new long[] {start, end});
        } else {
            sessions.add(new long[] {start, DAY_MS});
            sessions.add(new long[] {0, end - DAY_MS});
        }
    }

    /** Sorts and merges overlapping sessions into a 24-hour periodic availability. */
    static IntervalAvailability merge(List<long[]> sessions) {
        sessions.sort((a, b) -> Long.compare(a[0], b[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] s : sessions) {
            if (s[1] <= s[0]) {
                continue;
            }
            if (!merged.isEmpty() && s[0] <= merged.get(merged.size() - 1)[1]) {
                long[] last = merged.get(merged.size() - 1);
                last[1] = Math.max(last[1], s[1]);
            } else {
                merged.add(new long[] {s[0], s[1]});
            }
        }
        long[] starts = new long[merged.size()];
        long[] ends = new long[merged.size()];
        for (int i = 0; i < merged.size(); i++) {
            starts[i] = merged.get(i)[0];
            ends[i] = merged.get(i)[1];
        }
        return new IntervalAvailability(starts, ends, DAY_MS);
    }

    static double logNormal(Rng rng, double median, double sigma) {
        return median * Math.exp(sigma * gaussian(rng));
    }

    /** Box-Muller; uses two draws so the stream stays aligned whatever the values. */
    static double gaussian(Rng rng) {
        double u1 = 1 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    static int poisson(Rng rng, double mean) {
        double limit = Math.exp(-mean);
        double prod = rng.nextDouble();
        int k = 0;
        while (prod > limit && k < 1000) {
            prod *= rng.nextDouble();
            k++;
        }
        return k;
    }
}
