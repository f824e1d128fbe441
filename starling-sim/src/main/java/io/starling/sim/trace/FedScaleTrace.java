package io.starling.sim.trace;

import io.starling.sim.device.Availability;
import io.starling.sim.device.DeviceProfile;
import io.starling.sim.device.EnergyModel;
import io.starling.sim.device.IntervalAvailability;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * FedScale's two client traces, validated. Units are FedScale's: computation in milliseconds
 * per sample, communication in kbit/s, behaviour times in seconds.
 *
 * <p>FedScale charges {@code 3 x batch x steps x computation / 1000} seconds to train (a
 * backward pass costs about twice a forward one) and {@code (up_kbit + down_kbit) /
 * communication} seconds to transfer, so a device trains {@code 1000 / (3 x computation)}
 * samples per second and moves {@code communication x 125} bytes per second each way. A client
 * is available at {@code t} iff some {@code active[i] <= t mod finish_time < inactive[i]}.
 */
public record FedScaleTrace(SortedMap<Long, Capacity> capacities, SortedMap<Long, Behaviour> behaviours) {
    /** One entry of {@code client_device_capacity}. */
    public record Capacity(double computationMsPerSample, double communicationKbps) {
        public Capacity {
            if (!(computationMsPerSample > 0) || !Double.isFinite(computationMsPerSample)) {
                throw new IllegalArgumentException("'computation' must be a finite number of ms per sample > 0, got "
                        + computationMsPerSample);
            }
            if (!(communicationKbps > 0) || !Double.isFinite(communicationKbps)) {
                throw new IllegalArgumentException("'communication' must be a finite number of kbit/s > 0, got "
                        + communicationKbps);
            }
        }
    }

    /** One entry of {@code client_behave_trace}. */
    public record Behaviour(double durationS, double[] activeS, double[] inactiveS, double finishTimeS, String model) {
        public Behaviour {
            if (!(finishTimeS > 0) || !Double.isFinite(finishTimeS)) {
                throw new IllegalArgumentException("'finish_time' must be a finite number of seconds > 0, got " + finishTimeS);
            }
            if (activeS.length != inactiveS.length) {
                throw new IllegalArgumentException("'active' has " + activeS.length + " entries but 'inactive' has "
                        + inactiveS.length + "; they must pair up");
            }
            for (int i = 0; i < activeS.length; i++) {
                if (!(activeS[i] >= 0) || !Double.isFinite(activeS[i]) || !(inactiveS[i] >= 0) || !Double.isFinite(inactiveS[i])) {
                    throw new IllegalArgumentException("'active'/'inactive' entry " + i + " must be finite seconds >= 0, got "
                            + activeS[i] + " / " + inactiveS[i]);
                }
            }
            activeS = activeS.clone();
            inactiveS = inactiveS.clone();
        }

        /**
         * The availability this entry describes, repeating every {@code finish_time}. Intervals are
         * clipped to {@code [0, finish_time)}, sorted and merged; empty ones are dropped.
         */
        public Availability availability() {
            long periodMs = Math.round(finishTimeS * 1000);
            List<long[]> sessions = new ArrayList<>();
            for (int i = 0; i < activeS.length; i++) {
                long s = Math.round(activeS[i] * 1000);
                long e = Math.min(Math.round(inactiveS[i] * 1000), periodMs);
                if (s < e) {
                    sessions.add(new long[] {s, e});
                }
            }
            sessions.sort((a, b) -> Long.compare(a[0], b[0]));
            List<long[]> merged = new ArrayList<>();
            for (long[] x : sessions) {
                if (!merged.isEmpty() && x[0] <= merged.get(merged.size() - 1)[1]) {
                    merged.get(merged.size() - 1)[1] = Math.max(merged.get(merged.size() - 1)[1], x[1]);
                } else {
                    merged.add(x);
                }
            }
            return new IntervalAvailability(merged.stream().mapToLong(x -> x[0]).toArray(),
                    merged.stream().mapToLong(x -> x[1]).toArray(), periodMs);
        }
    }

    public FedScaleTrace {
        capacities = new TreeMap<>(capacities);
        behaviours = new TreeMap<>(behaviours);
        if (capacities.isEmpty()) {
            throw new IllegalArgumentException("the device capacity trace has no clients");
        }
    }

    /**
     * Device profiles and availabilities, in ascending client id. Clients with a capacity but no
     * behaviour entry are always available (FedScale treats a missing behaviour trace the same way).
     *
     * @param energy energy costs (FedScale traces have none)
     * @param latencyMs one-way latency (FedScale traces have none)
     */
    public DeviceTrace toDeviceTrace(EnergyModel energy, long latencyMs) {
        List<DeviceTrace.Entry> out = new ArrayList<>(capacities.size());
        for (Map.Entry<Long, Capacity> e : capacities.entrySet()) {
            Capacity c = e.getValue();
            double bytesPerS = c.communicationKbps() * 125;
            DeviceProfile profile = new DeviceProfile(1000.0 / (3 * c.computationMsPerSample()), bytesPerS, bytesPerS,
                    latencyMs, energy, 0);
            Behaviour b = behaviours.get(e.getKey());
            out.add(new DeviceTrace.Entry("fedscale-" + e.getKey(), profile,
                    b == null ? Availability.ALWAYS : b.availability()));
        }
        return new DeviceTrace(out);
    }
}
