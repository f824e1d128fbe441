package io.starling.bench;

import java.nio.file.Path;

/**
 * A suite that is a program of its own: it chooses its JMH settings and writes its own report
 * format. The harness only gives it the report path; {@link RunSettings} do not apply.
 *
 * @param name file name stem and command-line name
 * @param description one line for {@code --list}
 * @param program runs the benchmarks and writes the report to the given path
 */
public record MainSuite(String name, String description, Program program) implements BenchSuite {
    /** The wrapped benchmark program. */
    @FunctionalInterface
    public interface Program {
        void run(Path report) throws Exception;
    }

    public MainSuite {
        BenchSuite.requireName(name);
    }

    @Override
    public void run(RunSettings settings, Path report) throws Exception {
        program.run(report);
    }
}
