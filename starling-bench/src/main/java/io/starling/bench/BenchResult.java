package io.starling.bench;

import java.util.Map;

/**
 * One benchmark's primary result from a JMH run, flattened for the JSON report.
 *
 * @param label short name with parameters, e.g. {@code TrainingBenchmark.train[model=mlp]}; suites
 *     name their baseline by label
 * @param benchmark fully qualified JMH benchmark method
 * @param params JMH {@code @Param} values of this result
 * @param mode JMH mode, e.g. {@code thrpt}
 * @param score mean over measurement iterations
 * @param scoreError half-width of the 99.9% confidence interval (NaN with too few iterations)
 * @param unit score unit, e.g. {@code ops/s}
 * @param secondary JMH secondary results by name (e.g. {@code @AuxCounters} fields), their scores
 */
public record BenchResult(String label, String benchmark, Map<String, String> params, String mode,
                          double score, double scoreError, String unit, Map<String, Double> secondary) {
    public BenchResult {
        params = Map.copyOf(params);
        secondary = Map.copyOf(secondary);
    }

    /** A result without secondary metrics. */
    public BenchResult(String label, String benchmark, Map<String, String> params, String mode,
                       double score, double scoreError, String unit) {
        this(label, benchmark, params, mode, score, scoreError, unit, Map.of());
    }

    /** {@code Class.method[k=v,...]} from a fully qualified benchmark name and its parameters. */
    public static String labelOf(String benchmark, Map<String, String> params) {
        String[] parts = benchmark.split("\\.");
        String shortName = parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : benchmark;
        if (params.isEmpty()) {
            return shortName;
        }
        StringBuilder sb = new StringBuilder(shortName).append('[');
        params.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> sb.append(sb.charAt(sb.length() - 1) == '[' ? "" : ",")
                        .append(e.getKey()).append('=').append(e.getValue()));
        return sb.append(']').toString();
    }
}
