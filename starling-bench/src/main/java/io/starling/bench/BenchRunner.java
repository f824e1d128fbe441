package io.starling.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs benchmark suites and writes one JSON report per suite to {@code bench/results/<suite>.json}.
 * Started by {@code bench/run.sh}; never by {@code ./mvnw verify}. See docs/benchmarks.md.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run Starling's JMH benchmark suites and write bench/results/<suite>.json.")
public final class BenchRunner implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "SUITE", description = "suites to run (default: all; see --list)")
    private List<String> suites = new ArrayList<>();

    @Option(names = "--list", description = "list the suites and exit")
    private boolean list;

    @Option(names = "--forks", defaultValue = "1", description = "JVM forks per benchmark (default: ${DEFAULT-VALUE})")
    private int forks;

    @Option(names = "--warmup", defaultValue = "3", description = "warm-up iterations (default: ${DEFAULT-VALUE})")
    private int warmup;

    @Option(names = "--iterations", defaultValue = "5", description = "measured iterations (default: ${DEFAULT-VALUE})")
    private int iterations;

    @Option(names = "--iteration-ms", defaultValue = "1000", description = "iteration length (default: ${DEFAULT-VALUE})")
    private int iterationMs;

    @Option(names = "--jvm-args", defaultValue = "", description = "extra arguments for the forked JVMs")
    private String jvmArgs;

    @Option(names = "--out-dir", description = "where reports go (default: bench/results under the repository root)")
    private Path outDir;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            for (BenchSuite s : BenchSuites.all()) {
                out.printf("%-12s %s%n", s.name(), s.description());
            }
            return 0;
        }
        List<BenchSuite> selected = suites.isEmpty() ? BenchSuites.all() : suites.stream().map(BenchSuites::find).toList();
        RunSettings settings = new RunSettings(forks, warmup, iterations, iterationMs, jvmArgs);
        Path dir = outDir != null ? outDir : defaultOutDir();
        for (BenchSuite suite : selected) {
            Path file = dir.resolve(suite.name() + ".json");
            suite.run(settings, file);
            out.println("bench: wrote " + file);
            out.flush();
        }
        return 0;
    }

    /** {@code bench/results} under the nearest ancestor of the working directory holding {@code mvnw}. */
    static Path defaultOutDir() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw"))) {
                return p.resolve("bench").resolve("results");
            }
        }
        return dir.resolve("bench").resolve("results");
    }

    /** The command line with one-line errors (the stack trace only with -Dstarling.bench.trace=true). */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new BenchRunner());
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println("bench: " + ex.getMessage());
            if (Boolean.getBoolean("starling.bench.trace")) {
                ex.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
