package io.starling.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long JMH measures. The defaults are modest (one fork, a few one-second iterations) because
 * the machines are shared; raise them for publishable numbers.
 *
 * @param forks JVM forks per benchmark (0 runs in the runner's JVM: only for debugging)
 * @param warmupIterations warm-up iterations per fork
 * @param measurementIterations measured iterations per fork
 * @param iterationMs length of each iteration
 * @param jvmArgs extra arguments for forked JVMs
 */
public record RunSettings(int forks, int warmupIterations, int measurementIterations, int iterationMs,
                          String jvmArgs) {
    public RunSettings {
        if (forks < 0 || warmupIterations < 0 || measurementIterations < 1 || iterationMs < 1) {
            throw new IllegalArgumentException("need forks >= 0, warmup >= 0, iterations >= 1, iteration-ms >= 1");
        }
        jvmArgs = jvmArgs == null ? "" : jvmArgs.strip();
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("forks", forks);
        m.put("warmup_iterations", warmupIterations);
        m.put("measurement_iterations", measurementIterations);
        m.put("iteration_ms", iterationMs);
        m.put("jvm_args", jvmArgs);
        return m;
    }
}
