package io.starling.sim.report;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/**
 * Writes results.csv. Numbers are formatted with fixed precision in {@link Locale#ROOT}, so the
 * same run gives the same bytes on every machine.
 */
public final class CsvReport {
    public static final String HEADER = "mode,virtual_time_s,version,commits,test_accuracy,test_loss,window_accuracy,"
            + "bytes_up,bytes_down,energy_j,active_devices,events";

    private CsvReport() {
    }

    public static void write(List<ModeResult> modes, Writer out) throws IOException {
        out.write(HEADER);
        out.write('\n');
        for (ModeResult m : modes) {
            for (ResultRow r : m.rows()) {
                out.write(String.format(Locale.ROOT, "%s,%.3f,%d,%d,%.6f,%.6f,%s,%d,%d,%.3f,%d,%d%n",
                        csvField(r.mode()), r.virtualTimeS(), r.version(), r.commits(), r.testAccuracy(), r.testLoss(),
                        Double.isNaN(r.windowAccuracy()) ? "" : String.format(Locale.ROOT, "%.6f", r.windowAccuracy()),
                        r.bytesUp(), r.bytesDown(), r.energyJ(), r.activeDevices(), r.events()));
            }
        }
    }

    static String csvField(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
