package io.starling.sim.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.core.data.ArrayDataset;
import io.starling.core.model.Model;
import io.starling.core.model.ModelFactory;
import io.starling.core.model.TrainConfig;
import io.starling.sim.experiment.ExperimentConfig;
import io.starling.sim.experiment.ExperimentResult;
import io.starling.sim.experiment.ExperimentRunner;
import io.starling.sim.experiment.ProgressListener;
import io.starling.sim.experiment.SimulationDefaults;
import io.starling.sim.report.ModeResult;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Macro benchmark of the simulator (issue 4): asynchronous FL with logistic regression on FedProx
 * synthetic data, every device on the generator's devices.
 *
 * <ol>
 *   <li><b>day</b>: 10,000 devices for one virtual day: wall time, simulated events per wall
 *       second, peak heap; the same-run baseline is the wall time of the same number of local
 *       training samples run back to back without the simulator (ratio = how much the simulation
 *       costs on top of the unavoidable training).</li>
 *   <li><b>memory</b>: child JVMs with {@code -Xmx4g} simulate {@code --probe-minutes} virtual
 *       minutes for growing device counts; the largest count that completes is reported.</li>
 * </ol>
 * Usage: {@code SimulatorBenchmark [--devices 10000] [--hours 24] [--probe-minutes 15]
 * [--probe-counts 25000,50000,100000,150000] [--out bench/results/simulator.json]}.
 */
public final class SimulatorBenchmark {
    /** Generator settings of the benchmark: FedScale-like slow devices, eligible a few hours a night. */
    static String config(int devices, double durationS) {
        return """
                name: bench-%d
                seed: 42
                durationS: %s
                reportIntervalS: %s
                targetAccuracy: 0.6
                evalDevices: 5
                checkInvariants: false
                data: {source: "synthetic:1,1,40", partition: natural}
                model: {spec: logreg}
                training: {epochs: 1, batchSize: 10, learningRate: 0.05}
                devices:
                  count: %d
                  source: generator
                  generator: {computeMedianSamplesPerS: 1.0, alwaysOnFraction: 0.02, nightMedianHours: 2,
                              daySessionsPerDay: 1, daySessionMeanMinutes: 20, batteryFraction: 0}
                modes: [{name: async, params: {rule: "fedbuff:k=50,lr=1.0", bufferSize: 50, maxStaleness: 200,
                                               modelTimeoutS: 600}}]
                """.formatted(devices, durationS, Math.min(3600, durationS), devices);
    }

    record Run(int devices, double virtualS, long events, long wallMs, long cpuMs, long peakHeapBytes, long trainingRuns,
               long samplesTrained, double finalAccuracy) {
    }

    static Run run(int devices, double durationS) {
        ExperimentRunner runner = SimulationDefaults.runner();
        ExperimentConfig c = runner.configLoader().validate(runner.configLoader().parse(config(devices, durationS),
                "benchmark"), Path.of("."));
        resetPeaks();
        long start = System.nanoTime();
        long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        ExperimentResult r = runner.run(c, Path.of("."), ProgressListener.NONE);
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        long cpuMs = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart) / 1_000_000;
        ModeResult m = r.modes().get(0);
        return new Run(devices, durationS, m.events(), wallMs, cpuMs, peakHeap(), m.trainingRuns(), m.samplesTrained(),
                m.last().testAccuracy());
    }

    /** Wall ms to train {@code samples} samples in 40-sample calls, as the devices did, without the simulator. */
    /** Wall and CPU ms of the baseline. */
    record Baseline(long wallMs, long cpuMs) {
    }

    static Baseline trainingOnly(long samples) {
        SplittableRandom r = new SplittableRandom(1);
        int n = 40;
        float[] x = new float[n * 60];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(10);
        }
        ArrayDataset d = new ArrayDataset(x, y, 60, 10);
        Model model = ModelFactory.builtIn().create("logreg", 60, 10, 1);
        TrainConfig cfg = new TrainConfig(1, 0, 10, 0.05, 0, 0, 1);
        long calls = Math.max(1, samples / n);
        long start = System.nanoTime();
        long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        for (long k = 0; k < calls; k++) {
            model.setParams(model.params());
            model.train(d, cfg.withSeed(k));
        }
        return new Baseline((System.nanoTime() - start) / 1_000_000,
                (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart) / 1_000_000);
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peak usage since the last reset (an upper bound on the true peak). */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    public static void main(String[] args) throws Exception {
        int devices = 10_000;
        double hours = 24;
        double probeMinutes = 15;
        String probeCounts = "25000,50000,100000,150000";
        Path out = Path.of("bench/results/simulator.json");
        boolean child = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--devices" -> devices = Integer.parseInt(args[++i]);
                case "--hours" -> hours = Double.parseDouble(args[++i]);
                case "--probe-minutes" -> probeMinutes = Double.parseDouble(args[++i]);
                case "--probe-counts" -> probeCounts = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--child" -> child = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (child) {
            Run r = run(devices, probeMinutes * 60);
            System.out.println("RESULT " + r.events() + " " + r.wallMs() + " " + r.peakHeapBytes() + " " + r.cpuMs());
            return;
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("benchmark", "simulator");
        root.put("date", Instant.now().toString());
        root.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        root.put("cpus", Runtime.getRuntime().availableProcessors());
        root.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        root.put("config", config(devices, hours * 3600));

        System.err.printf(Locale.ROOT, "day run: %d devices, %.1f virtual hours...%n", devices, hours);
        Run day = run(devices, hours * 3600);
        Baseline baseline = trainingOnly(day.samplesTrained());
        ObjectNode d = root.putObject("day");
        d.put("devices", day.devices());
        d.put("virtual_seconds", day.virtualS());
        d.put("wall_seconds", day.wallMs() / 1e3);
        d.put("cpu_seconds_simulation_thread", day.cpuMs() / 1e3);
        d.put("events", day.events());
        d.put("events_per_wall_second", day.events() / Math.max(1e-3, day.wallMs() / 1e3));
        d.put("peak_heap_bytes", day.peakHeapBytes());
        d.put("local_trainings", day.trainingRuns());
        d.put("samples_trained", day.samplesTrained());
        d.put("final_test_accuracy", day.finalAccuracy());
        d.put("baseline_training_only_wall_seconds", baseline.wallMs() / 1e3);
        d.put("baseline_training_only_cpu_seconds", baseline.cpuMs() / 1e3);
        d.put("ratio_wall_to_training_only", day.wallMs() / (double) Math.max(1, baseline.wallMs()));
        d.put("ratio_cpu_to_training_only", day.cpuMs() / (double) Math.max(1, baseline.cpuMs()));
        d.put("goal_wall_seconds", 600);
        if (hours >= 24) {
            d.put("goal_met", day.wallMs() < 600_000);
        } else {
            d.putNull("goal_met");
            d.put("note", "ran " + hours + " virtual hours, not a full day: the 600 s goal is for 24 hours");
        }
        System.err.println("day: " + d);
        write(json, root, out);

        ArrayNode probes = root.putArray("memory_probes");
        int largest = 0;
        String cp = System.getProperty("java.class.path");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (String s : probeCounts.split(",")) {
            int n = Integer.parseInt(s.trim());
            System.err.printf(Locale.ROOT, "memory probe: %d devices, %.0f virtual minutes, -Xmx4g...%n", n, probeMinutes);
            Process p = new ProcessBuilder(javaBin, "-Xmx4g", "-XX:+ExitOnOutOfMemoryError", "-cp", cp,
                    SimulatorBenchmark.class.getName(), "--child", "--devices", String.valueOf(n), "--probe-minutes",
                    String.valueOf(probeMinutes)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE)
                    .start();
            String result = null;
            String lastLine = "";
            try (BufferedReader br = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = br.readLine()) != null) {
                    if (line.startsWith("RESULT ")) {
                        result = line;
                    } else if (!line.isBlank()) {
                        lastLine = line;
                    }
                }
            }
            boolean exited = p.waitFor(30, TimeUnit.MINUTES);
            if (!exited) {
                p.destroyForcibly();
            }
            ObjectNode probe = probes.addObject();
            probe.put("devices", n);
            probe.put("virtual_seconds", probeMinutes * 60);
            boolean ok = exited && p.exitValue() == 0 && result != null;
            probe.put("fits_in_4g", ok);
            if (ok) {
                String[] f = result.split(" ");
                probe.put("events", Long.parseLong(f[1]));
                probe.put("wall_seconds", Long.parseLong(f[2]) / 1e3);
                probe.put("peak_heap_bytes", Long.parseLong(f[3]));
                probe.put("cpu_seconds_simulation_thread", Long.parseLong(f[4]) / 1e3);
                largest = n;
            } else {
                probe.put("exit_code", exited ? p.exitValue() : -1);
                probe.put("last_output", lastLine);
            }
            System.err.println("probe: " + probe);
            if (!ok) {
                break;
            }
        }
        root.put("largest_device_count_in_4g_heap", largest);
        write(json, root, out);
    }

    /** Writes what is known so far, so an interrupted run keeps its finished parts. */
    private static void write(ObjectMapper json, ObjectNode root, Path out) throws java.io.IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        json.writeValue(new File(out.toString()), root);
        System.err.println("wrote " + out);
    }
}
