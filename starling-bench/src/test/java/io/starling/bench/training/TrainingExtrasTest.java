package io.starling.bench.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.bench.BenchResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingExtrasTest {
    private static BenchResult result(String method, String model, String kernels, double score) {
        String benchmark = TrainingBenchmark.class.getName() + "." + method;
        Map<String, String> params = Map.of("model", model, "kernels", kernels);
        return new BenchResult(BenchResult.labelOf(benchmark, params), benchmark, params, "thrpt", score, 1, "ops/s");
    }

    private static BenchResult withCpu(String method, String model, String kernels, double wallScore,
                                       double samples, double cpuSeconds) {
        BenchResult r = result(method, model, kernels, wallScore);
        return new BenchResult(r.label(), r.benchmark(), r.params(), r.mode(), r.score(), r.scoreError(), r.unit(),
                Map.of("samples", samples, "cpuNanos", cpuSeconds * 1e9));
    }

    @Test
    void ratiosComeFromCpuTimeWhenItWasMeasured() {
        // Wall-clock scores say mlp/vector is slower than scalar (a busy machine); CPU time says 3x faster.
        Map<String, Object> extras = new TrainingExtras().compute(List.of(
                withCpu("train", "logreg", "vector", 50_000, 1_000_000, 5),
                withCpu("train", "mlp", "vector", 10_000, 300_000, 5),
                withCpu("train", "mlp", "scalar", 12_000, 100_000, 5)));
        assertThat(extras.get("ratios_basis")).isEqualTo("samples per CPU-second");
        assertThat(extras.get("train_samples_per_cpu_second")).isEqualTo(Map.of(
                "vector", Map.of("logreg", 200_000L, "mlp", 60_000L), "scalar", Map.of("mlp", 20_000L)));
        assertThat(extras.get("train_vector_speedup_over_scalar")).isEqualTo(Map.of("mlp", 3.0));
    }

    @Test
    void reportsSamplesPerSecondVectorSpeedupAndSlowdownAgainstLogreg() {
        Map<String, Object> extras = new TrainingExtras().compute(List.of(
                result("train", "logreg", "vector", 100_000), result("train", "mlp", "vector", 25_000),
                result("train", "mlp", "scalar", 10_000), result("evaluate", "mlp", "vector", 90_000)));
        assertThat(extras.get("train_samples_per_second")).isEqualTo(Map.of(
                "vector", Map.of("logreg", 100_000L, "mlp", 25_000L), "scalar", Map.of("mlp", 10_000L)));
        assertThat(extras.get("evaluate_samples_per_second")).isEqualTo(Map.of("vector", Map.of("mlp", 90_000L)));
        assertThat(extras.get("ratios_basis")).isEqualTo("wall-clock samples/s");
        assertThat(extras.get("train_vector_speedup_over_scalar")).isEqualTo(Map.of("mlp", 2.5));
        assertThat(extras.get("train_time_relative_to_logreg")).isEqualTo(Map.of("logreg", 1.0, "mlp", 4.0));
    }
}
