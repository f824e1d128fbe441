package io.starling.bench.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
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
        Collection<RunResult> results = new Runner(options).run();
        Map<String, Double> msPerOp = new HashMap<>();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            msPerOp.put(label.substring(label.lastIndexOf('.') + 1), r.getPrimaryResult().getScore());
        }

        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode report = json.createObjectNode();
        report.put("benchmark", "aggregation");
        report.put("timestamp", Instant.now().toString());
        report.put("java_version", System.getProperty("java.version"));
        report.put("available_processors", Runtime.getRuntime().availableProcessors());
        report.put("updates", UPDATES);
        report.put("dim", DIM);
        long bytesRead = (long) UPDATES * DIM * Float.BYTES;
        report.put("update_bytes_read", bytesRead);

        double fedAvgMs = msPerOp.get("fedAvg");
        double javaGbps = gbPerSecond(bytesRead, fedAvgMs);
        ObjectNode java = report.putObject("java");
        java.put("fedavg_ms", fedAvgMs);
        java.put("fedavg_gb_per_s", javaGbps);
        java.put("naive_axpy_ms", msPerOp.get("naiveAxpy"));
        java.put("naive_axpy_gb_per_s", gbPerSecond(bytesRead, msPerOp.get("naiveAxpy")));

        long copyBytes = 2L * 33_554_432 * Float.BYTES;
        double copyLoopGbps = gbPerSecond(copyBytes, msPerOp.get("copyLoop"));
        double arraycopyGbps = gbPerSecond(copyBytes, msPerOp.get("copyArraycopy"));
        double copyGbps = Math.max(copyLoopGbps, arraycopyGbps);
        ObjectNode copy = report.putObject("stream_copy");
        copy.put("convention", "STREAM Copy: 2 x 4 bytes per float (read + write), 128 MiB arrays");
        copy.put("loop_gb_per_s", copyLoopGbps);
        copy.put("arraycopy_gb_per_s", arraycopyGbps);
        copy.put("reference_gb_per_s", copyGbps);
        report.put("fedavg_fraction_of_copy_bandwidth", javaGbps / copyGbps);

        JsonNode numpy = runNumpy(json);
        report.set("numpy", numpy);
        boolean numpyRan = numpy.has("methods");
        if (numpyRan) {
            double best = 0;
            String bestMethod = "";
            for (Map.Entry<String, JsonNode> m : numpy.get("methods").properties()) {
                double gbps = m.getValue().get("gb_per_s_mean").asDouble();
                report.put("java_over_numpy_" + m.getKey(), javaGbps / gbps);
                if (gbps > best) {
                    best = gbps;
                    bestMethod = m.getKey();
                }
            }
            report.put("numpy_best_method", bestMethod);
            report.put("java_over_numpy_best", javaGbps / best);
        } else {
            System.out.println("NumPy baseline skipped: " + numpy.path("skipped").asText(numpy.toString()));
        }

        ObjectNode goals = report.putObject("goals");
        goals.put("java_at_least_numpy", numpyRan ? report.get("java_over_numpy_best").asDouble() >= 1.0 : null);
        goals.put("at_least_half_copy_bandwidth", javaGbps / copyGbps >= 0.5);

        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json.writeValueAsString(report) + "\n", StandardCharsets.UTF_8);
        System.out.println(json.writeValueAsString(report));
        System.out.println("wrote " + out.toAbsolutePath());
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
                "--updates", Integer.toString(UPDATES), "--dim", Integer.toString(DIM), "--repeats", "20");
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
