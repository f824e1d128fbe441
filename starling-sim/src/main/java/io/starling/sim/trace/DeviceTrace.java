package io.starling.sim.trace;

import io.starling.sim.device.Availability;
import io.starling.sim.device.DeviceProfile;
import java.util.List;
import java.util.Objects;

/**
 * The devices of an experiment: one profile and one availability per device, in device order,
 * from the generator or a loaded trace.
 */
public record DeviceTrace(List<Entry> devices) {
    /** One device of the trace; {@code sourceId} says where it came from (trace client id or generator index). */
    public record Entry(String sourceId, DeviceProfile profile, Availability availability) {
        public Entry {
            Objects.requireNonNull(sourceId, "sourceId");
            Objects.requireNonNull(profile, "profile");
            Objects.requireNonNull(availability, "availability");
        }
    }

    public DeviceTrace {
        devices = List.copyOf(devices);
    }

    public int size() {
        return devices.size();
    }

    /** Device {@code i}, cycling through the trace when the experiment has more devices than it. */
    public Entry device(int i) {
        return devices.get(i % devices.size());
    }
}
