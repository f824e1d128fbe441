package io.starling.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteReportTest {
    private static final JmhSuite SUITE = new JmhSuite("demo", "a demo suite", List.of("Demo"),
            "Demo.run[size=small]", null);
    private static final RunSettings SETTINGS = new RunSettings(1, 2, 3, 500, "");
    private static final BenchResult SMALL = new BenchResult("Demo.run[size=small]", "x.Demo.run",
            Map.of("size", "small"), "thrpt", 200, 4, "ops/s");
    private static final BenchResult LARGE = new BenchResult("Demo.run[size=large]", "x.Demo.run",
            Map.of("size", "large"), "thrpt", 50, Double.NaN, "ops/s");

    @Test
    void everyResultCarriesItsRatioToTheSameRunBaseline() {
        Map<String, Object> doc = SuiteReport.build(SUITE, SETTINGS, List.of(SMALL, LARGE), Map.of(), Instant.EPOCH);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) doc.get("results");
        assertThat(rows.get(0)).containsEntry("ratio_to_baseline", 1.0);
        assertThat(rows.get(1)).containsEntry("ratio_to_baseline", 0.25).containsEntry("score_error", null);
        assertThat(doc).containsEntry("baseline", "Demo.run[size=small]").doesNotContainKey("baseline_missing");
    }

    @Test
    void aMissingBaselineIsSaidNotHidden() {
        Map<String, Object> doc = SuiteReport.build(SUITE, SETTINGS, List.of(LARGE), Map.of(), Instant.EPOCH);
        assertThat(doc).containsKey("baseline_missing");
    }

    @Test
    void writesTheReportAsJsonCreatingDirectories(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bench/results/demo.json");
        SuiteReport.write(SuiteReport.build(SUITE, SETTINGS, List.of(SMALL), Map.of("note", "x"), Instant.EPOCH), file);
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.get("suite").asText()).isEqualTo("demo");
        assertThat(json.get("jmh").get("measurement_iterations").asInt()).isEqualTo(3);
        assertThat(json.get("environment").get("cores").asInt()).isPositive();
        assertThat(json.get("results").get(0).get("score").asDouble()).isEqualTo(200);
        assertThat(json.get("extras").get("note").asText()).isEqualTo("x");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }
}
