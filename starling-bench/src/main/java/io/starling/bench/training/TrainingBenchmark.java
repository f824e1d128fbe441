package io.starling.bench.training;

import io.starling.core.data.Dataset;
import io.starling.core.data.Mnist10k;
import io.starling.core.data.TrainTestSplit;
import io.starling.core.model.Metrics;
import io.starling.core.model.Model;
import io.starling.core.model.ModelFactory;
import io.starling.core.model.TrainConfig;
import io.starling.core.model.TrainResult;
import io.starling.core.model.nn.Kernels;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Single-threaded throughput of the built-in models on the bundled mnist10k digits, in samples
 * per second (one JMH operation = one example). {@code train} measures minibatch SGD steps
 * (gather + forward + backward + optimizer) at batch size {@value #BATCH}; {@code evaluate}
 * measures inference over the 2,000 test digits. Logistic regression on the vector kernels is the
 * suite's same-run baseline; every model also runs on the scalar kernels, so the report shows
 * what the Vector API buys (see {@link Kernels}). Each parameter combination runs in its own
 * forked JVM, which is what lets {@link #setUp()} choose the kernels.
 */
@State(Scope.Benchmark)
@Fork(jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TrainingBenchmark {
    static final int BATCH = 32;
    static final int STEPS = 50;

    @Param({"logreg", "mlp", "mlp:256,128"})
    public String model;

    @Param({"vector", "scalar"})
    public String kernels;

    private Model net;
    private Dataset train;
    private Dataset test;
    private TrainConfig config;
    private long seed;

    @Setup(Level.Trial)
    public void setUp() {
        System.setProperty("starling.kernels", kernels);
        if (!Kernels.active().name().equals(kernels)) {
            throw new IllegalStateException("kernels were already chosen as " + Kernels.active().name()
                    + " in this JVM; run with forks >= 1");
        }
        TrainTestSplit data = Mnist10k.load();
        train = data.train();
        test = data.test();
        net = ModelFactory.builtIn().create(model, train.featureDim(), train.numClasses(), 1);
        config = TrainConfig.defaults().withBatchSize(BATCH).withMaxSteps(STEPS);
    }

    /**
     * CPU time of the benchmark thread next to the samples it processed, so a report can state
     * samples per CPU-second: on a shared machine the wall-clock score mostly measures how much
     * of a core the benchmark got, while CPU time measures the code.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CpuTime {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

        /** Examples processed in this iteration. */
        public long samples;
        /** CPU nanoseconds the benchmark thread spent in those calls. */
        public long cpuNanos;

        @Setup(Level.Iteration)
        public void reset() {
            samples = 0;
            cpuNanos = 0;
        }

        long now() {
            return THREADS.getCurrentThreadCpuTime();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH * STEPS)
    public TrainResult train(CpuTime cpu) {
        long start = cpu.now();
        TrainResult r = net.train(train, config.withSeed(seed++));
        cpu.cpuNanos += cpu.now() - start;
        cpu.samples += r.samples();
        return r;
    }

    @Benchmark
    @OperationsPerInvocation(Mnist10k.TEST_SIZE)
    public Metrics evaluate(CpuTime cpu) {
        long start = cpu.now();
        Metrics m = net.evaluate(test);
        cpu.cpuNanos += cpu.now() - start;
        cpu.samples += m.samples();
        return m;
    }
}
