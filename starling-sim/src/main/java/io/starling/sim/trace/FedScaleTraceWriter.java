package io.starling.sim.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.sim.device.Availability;
import io.starling.sim.device.IntervalAvailability;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a {@link DeviceTrace} in FedScale's two-file format, as JSON, so generated traces can be
 * shared and loaded back with {@link FedScaleTraceLoader}. FedScale has one bandwidth per client;
 * the uplink is written (the usual bottleneck). Energy, battery and latency are not part of the
 * format and are lost.
 */
public final class FedScaleTraceWriter {
    public static final String CAPACITY_FILE = "client_device_capacity.json";
    public static final String BEHAVIOUR_FILE = "client_behave_trace.json";
    private static final double DAY_S = 86_400;

    private FedScaleTraceWriter() {
    }

    public static void writeJson(DeviceTrace trace, Path dir) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode capacity = json.createObjectNode();
        ObjectNode behaviour = json.createObjectNode();
        for (int i = 0; i < trace.size(); i++) {
            DeviceTrace.Entry e = trace.device(i);
            String id = String.valueOf(i + 1);
            capacity.putObject(id).put("computation", round(1000.0 / (3 * e.profile().computeSamplesPerS())))
                    .put("communication", round(e.profile().uplinkBytesPerS() / 125));
            ObjectNode b = behaviour.putObject(id);
            ArrayNode active = json.createArrayNode();
            ArrayNode inactive = json.createArrayNode();
            double finish = DAY_S;
            Availability a = e.availability();
            if (a instanceof IntervalAvailability ia) {
                finish = ia.periodMs() > 0 ? ia.periodMs() / 1000.0 : DAY_S;
                long[] s = ia.startsMs();
                long[] t = ia.endsMs();
                for (int k = 0; k < s.length; k++) {
                    active.add(s[k] / 1000.0);
                    inactive.add(t[k] / 1000.0);
                }
            } else if (a == Availability.ALWAYS) {
                active.add(0.0);
                inactive.add(DAY_S);
            } else {
                throw new IllegalArgumentException("device " + i + " has an availability (" + a
                        + ") that FedScale's format cannot express");
            }
            b.put("duration", finish);
            b.set("inactive", inactive);
            b.put("finish_time", finish);
            b.set("active", active);
            b.put("model", "generated");
        }
        try {
            Files.createDirectories(dir);
            json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(CAPACITY_FILE).toFile(), capacity);
            json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(BEHAVIOUR_FILE).toFile(), behaviour);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trace to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
