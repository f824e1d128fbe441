package io.starling.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON document written for one suite run: environment, JMH settings, every result with its
 * ratio to the suite's same-run baseline, and the suite's extras. Written atomically (temp file +
 * rename) so a crashed run never leaves half a report.
 */
public final class SuiteReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SuiteReport() {
    }

    /** The report as a JSON-ready tree. */
    public static Map<String, Object> build(JmhSuite suite, RunSettings settings, List<BenchResult> results,
                                            Map<String, Object> extras, Instant created) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("suite", suite.name());
        doc.put("description", suite.description());
        doc.put("created_utc", created.toString());
        doc.put("environment", environment());
        doc.put("jmh", settings.toMap());
        BenchResult baseline = null;
        if (suite.baselineLabel() != null) {
            baseline = results.stream().filter(r -> r.label().equals(suite.baselineLabel())).findFirst().orElse(null);
            doc.put("baseline", suite.baselineLabel());
            if (baseline == null) {
                doc.put("baseline_missing", "the baseline benchmark did not run (filtered out or failed)");
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (BenchResult r : results) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("label", r.label());
            row.put("benchmark", r.benchmark());
            row.put("params", r.params());
            row.put("mode", r.mode());
            row.put("score", r.score());
            row.put("score_error", Double.isFinite(r.scoreError()) ? r.scoreError() : null);
            row.put("unit", r.unit());
            if (!r.secondary().isEmpty()) {
                row.put("secondary", r.secondary());
            }
            if (baseline != null && baseline.unit().equals(r.unit()) && baseline.score() != 0) {
                row.put("ratio_to_baseline", r.score() / baseline.score());
            }
            rows.add(row);
        }
        doc.put("results", rows);
        doc.put("extras", extras);
        return doc;
    }

    /** Writes {@code doc} to {@code file} atomically, creating parent directories. */
    public static void write(Map<String, Object> doc, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            JSON.writeValue(tmp.toFile(), doc);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Map<String, Object> environment() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("jdk", Runtime.version().toString());
        env.put("vm", System.getProperty("java.vm.name"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        env.put("arch", System.getProperty("os.arch"));
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        // Shared machines: a load above the core count means the scores are deflated.
        env.put("load_average_1m", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return env;
    }
}
