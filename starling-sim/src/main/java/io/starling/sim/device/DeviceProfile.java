package io.starling.sim.device;

import java.util.Objects;

/**
 * The capabilities of one simulated device: how fast it trains, how fast and far its link is,
 * what its work costs in energy and how much it may spend.
 *
 * @param computeSamplesPerS training throughput, examples per virtual second
 * @param uplinkBytesPerS upload bandwidth
 * @param downlinkBytesPerS download bandwidth
 * @param latencyMs one-way latency added to every message this device sends or receives (half each way)
 * @param energy energy costs
 * @param batteryJ energy budget; {@code <= 0} means mains powered (unlimited). A device whose
 *     battery runs out goes offline for the rest of the run.
 */
public record DeviceProfile(double computeSamplesPerS, double uplinkBytesPerS, double downlinkBytesPerS,
                            long latencyMs, EnergyModel energy, double batteryJ) {
    public DeviceProfile {
        requirePositive("computeSamplesPerS", computeSamplesPerS);
        requirePositive("uplinkBytesPerS", uplinkBytesPerS);
        requirePositive("downlinkBytesPerS", downlinkBytesPerS);
        if (latencyMs < 0) {
            throw new IllegalArgumentException("latencyMs must be >= 0, got " + latencyMs);
        }
        Objects.requireNonNull(energy, "energy");
        if (!Double.isFinite(batteryJ)) {
            throw new IllegalArgumentException("batteryJ must be finite (<= 0 for unlimited), got " + batteryJ);
        }
    }

    /** Whether the device runs on a finite battery. */
    public boolean hasBattery() {
        return batteryJ > 0;
    }

    /** Virtual milliseconds to train {@code samples} examples (at least 1 ms when samples > 0). */
    public long trainingMs(long samples) {
        if (samples <= 0) {
            return 0;
        }
        return Math.max(1, Math.round(samples * 1000.0 / computeSamplesPerS));
    }

    private static void requirePositive(String name, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite number > 0, got " + v);
        }
    }
}
