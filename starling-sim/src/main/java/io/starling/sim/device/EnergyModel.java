package io.starling.sim.device;

/**
 * What a device spends, in joules, on the work the simulator charges it for. Idle power is
 * charged for every virtual second the device is online, whatever it does.
 *
 * @param joulesPerSample energy to train on one example once
 * @param joulesPerMbSent energy to send one megabyte (10^6 bytes)
 * @param joulesPerMbReceived energy to receive one megabyte
 * @param idleWatts power drawn while online
 */
public record EnergyModel(double joulesPerSample, double joulesPerMbSent, double joulesPerMbReceived,
                          double idleWatts) {
    public EnergyModel {
        requireNonNegative("joulesPerSample", joulesPerSample);
        requireNonNegative("joulesPerMbSent", joulesPerMbSent);
        requireNonNegative("joulesPerMbReceived", joulesPerMbReceived);
        requireNonNegative("idleWatts", idleWatts);
    }

    /** A device that costs nothing, e.g. a mains-powered server whose energy is not studied. */
    public static final EnergyModel FREE = new EnergyModel(0, 0, 0, 0);

    /** Energy to train {@code samples} examples. */
    public double trainingJ(long samples) {
        return samples * joulesPerSample;
    }

    /** Energy to send {@code bytes}. */
    public double sendJ(long bytes) {
        return bytes / 1e6 * joulesPerMbSent;
    }

    /** Energy to receive {@code bytes}. */
    public double receiveJ(long bytes) {
        return bytes / 1e6 * joulesPerMbReceived;
    }

    static void requireNonNegative(String name, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + v);
        }
    }
}
