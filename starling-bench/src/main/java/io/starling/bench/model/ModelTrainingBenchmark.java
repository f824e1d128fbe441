package io.starling.bench.model;

import io.starling.core.data.ArrayDataset;
import io.starling.core.data.Dataset;
import io.starling.core.model.Model;
import io.starling.core.model.ModelFactory;
import io.starling.core.model.TrainConfig;
import io.starling.core.model.TrainResult;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Training throughput, forward + backward + SGD update, of one model spec: one operation is one
 * training call over {@value #EXAMPLES} MNIST-shaped examples in minibatches of
 * {@value #BATCH}, so samples/s = ops/s x {@value #EXAMPLES}. Specs with the {@code djl:} prefix
 * run on the optional DJL/PyTorch engine, found through the model factory's service lookup; the
 * engine module is on the class path only under the {@code bench-models} profile.
 *
 * <p>The data are synthetic 28x28 images (about 80% zero pixels, like MNIST) with random labels:
 * the cost of a step does not depend on what the pixels show.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(1)
public class ModelTrainingBenchmark {
    static final int EXAMPLES = 1024;
    static final int BATCH = 32;

    @Param({"cnn-lenet5", "djl:cnn-lenet5", "mlp"})
    public String spec;

    private Model model;
    private Dataset data;
    private TrainConfig config;

    @Setup(Level.Trial)
    public void setUp() {
        model = ModelFactory.builtIn().create(spec, 784, 10, 1);
        data = syntheticDigits(EXAMPLES, 7);
        config = TrainConfig.defaults().withEpochs(1).withBatchSize(BATCH).withLearningRate(0.01);
    }

    /**
     * CPU time of the whole benchmark JVM next to the samples trained, so the report can give
     * samples per CPU-second: on a shared machine wall-clock throughput mostly measures how much
     * CPU the benchmark got. Process time (not thread time) so PyTorch's worker threads count.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CpuTime {
        private static final com.sun.management.OperatingSystemMXBean OS =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        public long cpuNanos;
        public long samples;
    }

    @Benchmark
    public TrainResult trainOneEpoch(CpuTime cpu) {
        long start = CpuTime.OS.getProcessCpuTime();
        TrainResult r = model.train(data, config);
        cpu.cpuNanos += CpuTime.OS.getProcessCpuTime() - start;
        cpu.samples += r.samples();
        return r;
    }

    static Dataset syntheticDigits(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * 784];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(10);
            for (int j = 0; j < 784; j++) {
                x[i * 784 + j] = rng.nextDouble() < 0.8 ? 0f : (float) rng.nextDouble();
            }
        }
        return new ArrayDataset(x, y, 784, 10);
    }
}
