package io.starling.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchSuitesTest {
    @Test
    void suiteNamesAreUnique() {
        List<String> names = BenchSuites.all().stream().map(BenchSuite::name).toList();
        assertThat(names).doesNotHaveDuplicates().contains("training", "aggregation", "network");
    }

    @Test
    void unknownSuiteListsTheKnownOnes() {
        assertThatThrownBy(() -> BenchSuites.find("nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown benchmark suite 'nope'")
                .hasMessageContaining("training");
    }

    @Test
    void labelsNameClassMethodAndSortedParameters() {
        assertThat(BenchResult.labelOf("io.x.TrainingBenchmark.train", Map.of("model", "mlp", "batch", "32")))
                .isEqualTo("TrainingBenchmark.train[batch=32,model=mlp]");
        assertThat(BenchResult.labelOf("io.x.A.b", Map.of())).isEqualTo("A.b");
    }

    @Test
    void suiteNamesMustBeLowerCaseWords() {
        assertThatThrownBy(() -> new MainSuite("My Suite", "x", report -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower-case");
    }

    @Test
    void aMainSuiteWritesItsOwnReport(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path report = dir.resolve("x.json");
        new MainSuite("x", "writes a file", p -> java.nio.file.Files.writeString(p, "{}"))
                .run(new RunSettings(1, 1, 1, 1, ""), report);
        assertThat(report).hasContent("{}");
    }

    @Test
    void jmhGeneratedTheBenchmarkListAtCompileTime() {
        // The annotation processor must run during the build, or the runner finds no benchmarks.
        assertThat(BenchSuitesTest.class.getResource("/META-INF/BenchmarkList")).isNotNull();
    }
}
