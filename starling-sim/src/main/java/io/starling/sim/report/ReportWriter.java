package io.starling.sim.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * Writes an experiment's outputs into a folder: results.csv (every reporting instant of every
 * mode), summary.json (per mode: time, bytes and energy to the target accuracy, final accuracy)
 * and report.html. Each file is written to a temporary name and moved into place.
 */
public final class ReportWriter {
    public static final String RESULTS_CSV = "results.csv";
    public static final String SUMMARY_JSON = "summary.json";
    public static final String REPORT_HTML = "report.html";

    private ReportWriter() {
    }

    public static void write(Path dir, String title, long seed, double targetAccuracy, List<ModeResult> modes) {
        try {
            Files.createDirectories(dir);
            List<ModeSummary> summaries = ModeSummary.of(modes, targetAccuracy);
            atomically(dir.resolve(RESULTS_CSV), w -> CsvReport.write(modes, w));
            atomically(dir.resolve(SUMMARY_JSON), w -> w.write(summaryJson(title, seed, summaries)));
            atomically(dir.resolve(REPORT_HTML), w -> w.write(HtmlReport.render(title, modes, summaries)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + dir + ": " + e.getMessage(), e);
        }
    }

    static String summaryJson(String title, long seed, List<ModeSummary> summaries) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("experiment", title);
        root.put("seed", seed);
        ObjectNode modes = root.putObject("modes");
        for (ModeSummary s : summaries) {
            ObjectNode m = modes.putObject(s.mode());
            m.put("target_accuracy", s.targetAccuracy());
            putNullable(m, "time_to_target_s", s.timeToTargetS());
            if (s.bytesToTarget() == null) {
                m.putNull("bytes_to_target");
            } else {
                m.put("bytes_to_target", s.bytesToTarget());
            }
            putNullable(m, "energy_to_target_j", s.energyToTargetJ());
            m.put("final_accuracy", s.finalAccuracy());
            m.put("best_accuracy", s.bestAccuracy());
            m.put("final_version", s.finalVersion());
            m.put("bytes_total", s.bytesTotal());
            m.put("energy_total_j", s.energyTotalJ());
            m.put("events", s.events());
            m.put("wall_ms", s.wallMs());
            m.put("mean_staleness", s.meanStaleness());
            ArrayNode hist = m.putArray("staleness_histogram");
            for (Map.Entry<Long, Long> e : s.stalenessHistogram().entrySet()) {
                hist.addObject().put("versions_behind", e.getKey()).put("updates", e.getValue());
            }
        }
        return json.writeValueAsString(root) + "\n";
    }

    private static void putNullable(ObjectNode n, String key, Double v) {
        if (v == null) {
            n.putNull(key);
        } else {
            n.put(key, v);
        }
    }

    private interface Body {
        void write(Writer w) throws IOException;
    }

    private static void atomically(Path target, Body body) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            body.write(w);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
