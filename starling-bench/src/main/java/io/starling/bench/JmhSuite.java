package io.starling.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A suite of JMH benchmarks run by the harness with the command line's {@link RunSettings}.
 *
 * @param name file name stem and command-line name
 * @param description one line for {@code --list} and the report
 * @param includes JMH include regexes (matched against fully qualified benchmark names)
 * @param baselineLabel the {@link BenchResult#label()} every other result with the same unit is
 *     divided by to give {@code ratio_to_baseline}, or null for none
 * @param extras derives suite-specific figures from the results; written under {@code extras}
 */
public record JmhSuite(String name, String description, List<String> includes, String baselineLabel,
                       Extras extras) implements BenchSuite {
    /** Suite-specific post-processing of a finished run. */
    @FunctionalInterface
    public interface Extras {
        Extras NONE = results -> Map.of();

        /** Figures to add to the report (unit conversions, derived ratios, external baselines). */
        Map<String, Object> compute(List<BenchResult> results) throws Exception;
    }

    public JmhSuite {
        BenchSuite.requireName(name);
        if (includes.isEmpty()) {
            throw new IllegalArgumentException("suite " + name + " includes no benchmarks");
        }
        includes = List.copyOf(includes);
        extras = extras == null ? Extras.NONE : extras;
    }

    @Override
    public void run(RunSettings settings, Path report) throws Exception {
        List<BenchResult> results = JmhRun.run(includes, settings);
        Map<String, Object> computed;
        try {
            computed = extras.compute(results);
        } catch (Exception e) {
            computed = new LinkedHashMap<>();
            computed.put("error", "extras failed: " + e);
        }
        SuiteReport.write(SuiteReport.build(this, settings, results, computed, Instant.now()), report);
    }
}
