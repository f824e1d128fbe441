package io.starling.bench.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link ModelTrainingBenchmark} and writes {@code bench/results/models.json}: training
 * samples/s (forward + backward + update) of the built-in LeNet-5, the same network on DJL/PyTorch,
 * and the built-in MLP 784-128-10, with the ratio built-in / DJL for the CNN from the same run,
 * both per wall-clock second and per CPU-second of the benchmark JVM.
 *
 * <p>Threads: the built-in engine trains on one thread. PyTorch uses its intra-op thread pool
 * (one thread per core by default), so the run measures DJL twice: with its default pool and
 * pinned to one thread ({@code ai.djl.pytorch.num_threads=1}), and reports both ratios. Built-in
 * forks enable {@code jdk.incubator.vector} (the SIMD kernels) unless
 * {@code -Dstarling.kernels=scalar} is given to this main, which is passed on.
 *
 * <p>Usage: {@code ModelTrainingBench [output.json]} from the repository root; started by
 * {@code ./mvnw -B -pl starling-bench -am package -DskipTests -Pbench-models}.
 */
public final class ModelTrainingBench {
    private ModelTrainingBench() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results/models.json");
        Path engineCache = Path.of("starling-bench/target/djl-engine-cache").toAbsolutePath();
        String kernels = System.getProperty("starling.kernels", "auto");
        List<String> common = List.of("-Xmx2g", "--enable-native-access=ALL-UNNAMED",
                "--add-modules", "jdk.incubator.vector", "-Dstarling.kernels=" + kernels,
                "-Dai.djl.offline=true", "-DENGINE_CACHE_DIR=" + engineCache,
                "-Dai.djl.pytorch.graph_optimizer=false");

        Map<String, double[]> measured = new LinkedHashMap<>();
        measured.putAll(run(common, new String[] {"cnn-lenet5", "djl:cnn-lenet5", "mlp"}, ""));
        List<String> oneThread = new java.util.ArrayList<>(common);
        oneThread.add("-Dai.djl.pytorch.num_threads=1");
        oneThread.add("-Dai.djl.pytorch.num_interop_threads=1");
        measured.putAll(run(oneThread, new String[] {"djl:cnn-lenet5"}, " [1 thread]"));

        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode report = json.createObjectNode();
        report.put("benchmark", "model-training");
        report.put("timestamp", Instant.now().toString());
        report.put("java_version", System.getProperty("java.version"));
        report.put("available_processors", Runtime.getRuntime().availableProcessors());
        report.put("kernels", kernels);
        report.put("unit", "training samples per second: forward + backward + SGD step, batch "
                + ModelTrainingBenchmark.BATCH + ", 28x28 inputs, 10 classes");
        ObjectNode wall = report.putObject("samples_per_second");
        ObjectNode cpu = report.putObject("samples_per_cpu_second");
        measured.forEach((spec, v) -> {
            wall.put(spec, v[0]);
            cpu.put(spec, v[1]);
        });
        double[] builtIn = measured.get("cnn-lenet5");
        double[] djl = measured.get("djl:cnn-lenet5");
        double[] djlOneThread = measured.get("djl:cnn-lenet5 [1 thread]");
        report.put("cnn_builtin_over_djl", builtIn[0] / djl[0]);
        report.put("cnn_builtin_over_djl_1_thread", builtIn[0] / djlOneThread[0]);
        report.put("cnn_builtin_over_djl_per_cpu_second", builtIn[1] / djl[1]);
        report.put("cnn_builtin_over_djl_1_thread_per_cpu_second", builtIn[1] / djlOneThread[1]);
        report.put("note", "built-in trains on one thread; DJL/PyTorch uses "
                + Runtime.getRuntime().availableProcessors() + " intra-op threads by default. samples_per_cpu_second"
                + " divides by the CPU time of the whole benchmark JVM (all threads, JIT and GC included), which"
                + " is steadier than wall-clock throughput on a shared machine");

        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json.writeValueAsString(report) + "\n", StandardCharsets.UTF_8);
        System.out.println(json.writeValueAsString(report));
        System.out.println("wrote " + out.toAbsolutePath());
    }

    /** Per spec: {wall-clock samples/s, samples per CPU-second}. */
    private static Map<String, double[]> run(List<String> jvmArgs, String[] specs, String suffix) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(ModelTrainingBenchmark.class.getName())
                .param("spec", specs)
                .jvmArgs(jvmArgs.toArray(new String[0]))
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, double[]> perSpec = new LinkedHashMap<>();
        for (RunResult r : results) {
            double opsPerSecond = r.getPrimaryResult().getScore();
            double cpuNanos = r.getSecondaryResults().get("cpuNanos").getScore();
            double samples = r.getSecondaryResults().get("samples").getScore();
            perSpec.put(r.getParams().getParam("spec") + suffix,
                    new double[] {opsPerSecond * ModelTrainingBenchmark.EXAMPLES, samples / (cpuNanos / 1e9)});
        }
        return perSpec;
    }
}
