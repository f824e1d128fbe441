package io.starling.bench;

import java.nio.file.Path;

/**
 * A named group of benchmarks run together that writes one report, {@code bench/results/<name>.json}.
 * Register new suites in {@link BenchSuites#all()}.
 *
 * <p>Two kinds: a {@link JmhSuite} selects JMH benchmarks by regex and lets the harness run them
 * and write the report (environment, settings, per-result ratio to a same-run baseline, extras);
 * a {@link MainSuite} wraps a benchmark program that runs and reports by itself (for example one
 * that also runs an external NumPy baseline in a particular way).
 */
public sealed interface BenchSuite permits JmhSuite, MainSuite {
    /** File name stem and command-line name, e.g. {@code training}. */
    String name();

    /** One line for {@code --list} and the report. */
    String description();

    /** Runs the suite and writes its report to {@code report}. */
    void run(RunSettings settings, Path report) throws Exception;

    /** Checks a suite name: lower-case words joined by dashes. */
    static String requireName(String name) {
        if (name == null || !name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("suite names are lower-case words, got '" + name + "'");
        }
        return name;
    }
}
