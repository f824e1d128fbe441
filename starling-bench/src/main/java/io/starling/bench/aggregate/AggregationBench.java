package io.starling.bench.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the aggregation benchmark and writes {@code bench/results/aggregation.json}: FedAvg of 100
 * updates x 1,000,000 floats in GB/s of update data read, the same shapes through NumPy
 * ({@code bench/baselines/numpy_fedavg.py}, single-threaded BLAS) in the same run with the ratio
 * Java / NumPy, and STREAM-like copy bandwidth so the FedAvg figure reads as a fraction of memory
 * bandwidth.
 *
 * <p>Usage: {@code AggregationBench [output.json]}, from the repository root (the NumPy script is
 * found relative to it). Started by {@code ./mvnw -pl starling-bench -am package -DskipTests
 * -Pbench-aggregation}.
 */
public final class AggregationBench {
    private static final int UPDATES = 100;
    private static final int DIM = 1_000_000;
    private static final long UPDATE_BYTES = (long) UPDATES * DIM * Float.BYTES;
    private static final long COPY_BYTES = 2L * 33_554_432 * Float.BYTES;
    /** About as many timed aggregations per NumPy method and run as JMH samples of the Java kernel. */
    private static final int NUMPY_REPEATS = 100;
    private static final Path NUMPY_SCRIPT = Path.of("bench/baselines/numpy_fedavg.py");

    private AggregationBench() {
    }

    public static void main(String[] args) throws RunnerException, IOException, InterruptedException {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results/aggregation.json");
        Options options = new OptionsBuilder()
                .include(FedAvgBenchmark.class.getName())
                .include(MemoryBandwidthBenchmark.class.getName())
                .param("updates", Integer.toString(UPDATES))
                .param("dim", Integer.toString(DIM))
                .build();
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        JsonNode numpyBefore = runNumpy(json);
        Collection<RunResult> results = new Runner(options).run();
        JsonNode numpyAfter = runNumpy(json);
        Map<String, Timing> java = new HashMap<>();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            java.put(label.substring(label.lastIndexOf('.') + 1),
                    new Timing(r.getPrimaryResult().getScore(), r.getPrimaryResult().getStatistics().getMin(),
                            r.getPrimaryResult().getStatistics().getN()));
        }

        ObjectNode report = json.createObjectNode();
        report.put("benchmark", "aggregation");
        report.put("timestamp", Instant.now().toString());
        report.put("java_version", System.getProperty("java.version"));
        report.put("available_processors", Runtime.getRuntime().availableProcessors());
        report.put("load_average_1min", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        report.put("updates", UPDATES);
        report.put("dim", DIM);
        report.put("update_bytes_read", UPDATE_BYTES);
        report.put("copy_convention", "STREAM Copy: 2 x 4 bytes per float (read + write), 128 MiB arrays;"
                + " reference = faster of a plain loop and System.arraycopy");
        report.put("statistics_note", "'mean' is the mean time per aggregation, 'min' the fastest one (JMH"
                + " SampleTime; NumPy min over repeats). On a shared machine other processes only add time, so"
                + " 'min' is the better estimate of what each kernel can do; goals are judged on it. NumPy runs"
                + " before and after the JMH forks, single-threaded (OPENBLAS_NUM_THREADS=1), and each of its"
                + " figures is the better of the two runs.");
        report.set("numpy_before", numpyBefore);
        report.set("numpy_after", numpyAfter);
        boolean numpyRan = numpyBefore.has("methods") && numpyAfter.has("methods");
        if (!numpyRan) {
            JsonNode why = numpyBefore.has("skipped") ? numpyBefore : numpyAfter;
            System.out.println("NumPy baseline skipped: " + why.path("skipped").asText(why.toString()));
        }
        for (String statistic : new String[] {"mean", "min"}) {
            ObjectNode node = report.putObject(statistic);
            double fedAvg = gbPerSecond(UPDATE_BYTES, java.get("fedAvg").ms(statistic));
            double copy = Math.max(gbPerSecond(COPY_BYTES, java.get("copyLoop").ms(statistic)),
                    gbPerSecond(COPY_BYTES, java.get("copyArraycopy").ms(statistic)));
            node.put("java_fedavg_ms", java.get("fedAvg").ms(statistic));
            node.put("java_fedavg_samples", java.get("fedAvg").samples());
            node.put("java_fedavg_gb_per_s", fedAvg);
            node.put("java_naive_axpy_gb_per_s", gbPerSecond(UPDATE_BYTES, java.get("naiveAxpy").ms(statistic)));
            node.put("copy_loop_gb_per_s", gbPerSecond(COPY_BYTES, java.get("copyLoop").ms(statistic)));
            node.put("copy_arraycopy_gb_per_s", gbPerSecond(COPY_BYTES, java.get("copyArraycopy").ms(statistic)));
            node.put("copy_reference_gb_per_s", copy);
            node.put("fedavg_fraction_of_copy_bandwidth", fedAvg / copy);
            if (numpyRan) {
                String key = statistic + "_s";
                double best = 0;
                String bestMethod = "";
                for (Map.Entry<String, JsonNode> m : numpyBefore.get("methods").properties()) {
                    double seconds = Math.min(m.getValue().get(key).asDouble(),
                            numpyAfter.get("methods").get(m.getKey()).get(key).asDouble());
                    double gbps = UPDATE_BYTES / seconds / 1e9;
                    node.put("numpy_" + m.getKey() + "_gb_per_s", gbps);
                    node.put("java_over_numpy_" + m.getKey(), fedAvg / gbps);
                    if (gbps > best) {
                        best = gbps;
                        bestMethod = m.getKey();
                    }
                }
                node.put("numpy_best_method", bestMethod);
                node.put("java_over_numpy_best", fedAvg / best);
            }
        }

        ObjectNode goals = report.putObject("goals");
        JsonNode min = report.get("min");
        goals.put("judged_on", "min");
        if (numpyRan) {
            goals.put("java_at_least_numpy", min.get("java_over_numpy_best").asDouble() >= 1.0);
        } else {
            goals.putNull("java_at_least_numpy");
        }
        goals.put("at_least_half_copy_bandwidth", min.get("fedavg_fraction_of_copy_bandwidth").asDouble() >= 0.5);

        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json.writeValueAsString(report) + "\n", StandardCharsets.UTF_8);
        System.out.println(json.writeValueAsString(report));
        System.out.println("wrote " + out.toAbsolutePath());
    }

    /** One benchmark's mean and fastest time per operation, in milliseconds. */
    private record Timing(double meanMs, double minMs, long samples) {
        double ms(String statistic) {
            return statistic.equals("min") ? minMs : meanMs;
        }
    }

    private static double gbPerSecond(long bytes, double ms) {
        return bytes / (ms / 1000.0) / 1e9;
    }

    /** Runs the NumPy script; a missing python3 or numpy becomes a {@code skipped} entry, not a failure. */
    private static JsonNode runNumpy(ObjectMapper json) throws IOException, InterruptedException {
        ObjectNode skipped = json.createObjectNode();
        if (!Files.isRegularFile(NUMPY_SCRIPT)) {
            return skipped.put("skipped", NUMPY_SCRIPT + " not found; run from the repository root");
        }
        ProcessBuilder pb = new ProcessBuilder("python3", NUMPY_SCRIPT.toString(),
                "--updates", Integer.toString(UPDATES), "--dim", Integer.toString(DIM),
                "--repeats", Integer.toString(NUMPY_REPEATS));
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("MKL_NUM_THREADS", "1");
        Path stdoutFile = Files.createTempFile("numpy-fedavg", ".json");
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.redirectOutput(stdoutFile.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return skipped.put("skipped", "python3 not available: " + e.getMessage());
        }
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly().waitFor();
                return skipped.put("skipped", "numpy baseline timed out after 10 minutes");
            }
        } finally {
            p.destroyForcibly();
        }
        String text = Files.readString(stdoutFile, StandardCharsets.UTF_8).trim();
        Files.deleteIfExists(stdoutFile);
        if (p.exitValue() != 0 || text.isEmpty()) {
            return skipped.put("skipped", "numpy baseline failed with exit code " + p.exitValue() + ": " + text);
        }
        return json.readTree(text);
    }
}
