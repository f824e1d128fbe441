package io.starling.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs JMH benchmarks with {@link RunSettings} and flattens the results. */
final class JmhRun {
    private JmhRun() {
    }

    static List<BenchResult> run(List<String> includes, RunSettings settings) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .forks(settings.forks())
                .warmupIterations(settings.warmupIterations())
                .warmupTime(TimeValue.milliseconds(settings.iterationMs()))
                .measurementIterations(settings.measurementIterations())
                .measurementTime(TimeValue.milliseconds(settings.iterationMs()))
                .shouldFailOnError(true);
        for (String include : includes) {
            options.include(include);
        }
        if (!settings.jvmArgs().isEmpty()) {
            options.jvmArgsAppend(settings.jvmArgs().split("\\s+"));
        }
        List<BenchResult> results = new ArrayList<>();
        for (RunResult r : new Runner(options.build()).run()) {
            Map<String, String> params = new LinkedHashMap<>();
            for (String key : r.getParams().getParamsKeys()) {
                params.put(key, r.getParams().getParam(key));
            }
            Map<String, Double> secondary = new TreeMap<>();
            r.getSecondaryResults().forEach((name, result) -> secondary.put(name, result.getScore()));
            String benchmark = r.getParams().getBenchmark();
            results.add(new BenchResult(BenchResult.labelOf(benchmark, params), benchmark, params,
                    r.getParams().getMode().shortLabel(), r.getPrimaryResult().getScore(),
                    r.getPrimaryResult().getScoreError(), r.getPrimaryResult().getScoreUnit(), secondary));
        }
        return results;
    }
}
