package io.starling.bench.training;

import io.starling.bench.BenchResult;
import io.starling.bench.JmhSuite;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Restates the training suite in the terms users ask about: samples per second (wall clock and
 * per CPU-second) per model and kernel implementation for training and inference, the Vector
 * API's speed-up over scalar loops, and how much slower each model trains than logistic
 * regression. The ratios use CPU time when the benchmark measured it.
 */
public final class TrainingExtras implements JmhSuite.Extras {
    @Override
    public Map<String, Object> compute(List<BenchResult> results) {
        Map<String, Map<String, Long>> trainSps = new TreeMap<>();
        Map<String, Map<String, Long>> evalSps = new TreeMap<>();
        Map<String, Map<String, Long>> trainCpuSps = new TreeMap<>();
        Map<String, Map<String, Long>> evalCpuSps = new TreeMap<>();
        for (BenchResult r : results) {
            if (!r.unit().equals("ops/s")) {
                continue;
            }
            String kernels = r.params().getOrDefault("kernels", "default");
            Map<String, Map<String, Long>> target = r.benchmark().endsWith(".train") ? trainSps
                    : r.benchmark().endsWith(".evaluate") ? evalSps : null;
            if (target != null) {
                target.computeIfAbsent(kernels, k -> new LinkedHashMap<>()).put(r.params().get("model"), Math.round(r.score()));
                Double samples = r.secondary().get("samples");
                Double cpuNanos = r.secondary().get("cpuNanos");
                if (samples != null && cpuNanos != null && cpuNanos > 0) {
                    (target == trainSps ? trainCpuSps : evalCpuSps).computeIfAbsent(kernels, k -> new LinkedHashMap<>())
                            .put(r.params().get("model"), Math.round(samples / (cpuNanos / 1e9)));
                }
            }
        }
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("batch_size", TrainingBenchmark.BATCH);
        extras.put("train_samples_per_second", trainSps);
        extras.put("evaluate_samples_per_second", evalSps);
        extras.put("train_samples_per_cpu_second", trainCpuSps);
        extras.put("evaluate_samples_per_cpu_second", evalCpuSps);
        // Ratios from CPU time when measured: wall-clock ratios on a loaded machine are mostly noise.
        Map<String, Map<String, Long>> basis = trainCpuSps.isEmpty() ? trainSps : trainCpuSps;
        extras.put("ratios_basis", trainCpuSps.isEmpty() ? "wall-clock samples/s" : "samples per CPU-second");
        Map<String, Long> vector = basis.get("vector");
        Map<String, Long> scalar = basis.get("scalar");
        if (vector != null && scalar != null) {
            Map<String, Double> speedup = new LinkedHashMap<>();
            vector.forEach((model, v) -> {
                Long s = scalar.get(model);
                if (s != null && s > 0) {
                    speedup.put(model, (double) v / s);
                }
            });
            extras.put("train_vector_speedup_over_scalar", speedup);
        }
        Map<String, Long> best = vector != null ? vector : scalar;
        if (best != null && best.getOrDefault("logreg", 0L) > 0) {
            long base = best.get("logreg");
            Map<String, Double> slowdown = new LinkedHashMap<>();
            best.forEach((model, v) -> slowdown.put(model, (double) base / v));
            extras.put("train_time_relative_to_logreg", slowdown);
        }
        return extras;
    }
}
