package io.starling.bench.aggregate;

import io.starling.core.aggregate.AggregationRule;
import io.starling.core.aggregate.Contribution;
import io.starling.core.aggregate.FedAvg;
import io.starling.core.param.ParamVector;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * FedAvg of {@code updates} client models of {@code dim} floats each, through the public
 * {@link AggregationRule} API (validation, finiteness check and output allocation included).
 * {@link #naiveAxpy} is the textbook loop (one full pass over the accumulator per update) for
 * comparison with the cache-blocked kernel behind {@link FedAvg}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch", "-XX:+UseTransparentHugePages"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 8, time = 2)
public class FedAvgBenchmark {
    @Param("100")
    public int updates;

    @Param("1000000")
    public int dim;

    private final AggregationRule rule = new FedAvg();
    private ParamVector global;
    private List<Contribution> contributions;

    @Setup(Level.Trial)
    public void createUpdates() {
        SplittableRandom random = new SplittableRandom(42);
        global = ParamVector.zeros(dim);
        contributions = new ArrayList<>(updates);
        for (int i = 0; i < updates; i++) {
            float[] v = new float[dim];
            for (int j = 0; j < dim; j++) {
                v[j] = (float) (random.nextDouble() * 2 - 1);
            }
            contributions.add(Contribution.ofClient(ParamVector.wrap(v), 50 + random.nextInt(450)));
        }
    }

    @Benchmark
    public ParamVector fedAvg() {
        return rule.aggregate(global, contributions);
    }

    @Benchmark
    public ParamVector naiveAxpy() {
        double total = 0;
        for (Contribution c : contributions) {
            total += c.samples();
        }
        ParamVector out = ParamVector.zeros(dim);
        for (Contribution c : contributions) {
            out.axpyInPlace(c.samples() / total, c.model());
        }
        return out;
    }
}
