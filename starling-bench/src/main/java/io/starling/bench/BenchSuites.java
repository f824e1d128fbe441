package io.starling.bench;

import io.starling.bench.aggregate.AggregationBench;
import io.starling.bench.net.NetworkBench;
import io.starling.bench.training.TrainingBenchmark;
import io.starling.bench.training.TrainingExtras;
import java.util.List;

/** Every benchmark suite the runner knows; add yours here. */
public final class BenchSuites {
    private BenchSuites() {
    }

    public static List<BenchSuite> all() {
        return List.of(
                new MainSuite("aggregation",
                        "FedAvg of 100 x 1M floats in GB/s, same-run NumPy baseline and copy bandwidth",
                        report -> AggregationBench.main(new String[] {report.toString()})),
                new MainSuite("network",
                        "blob transfer and RPC over loopback gRPC (see NetworkBench)",
                        report -> NetworkBench.main(new String[] {report.toString()})),
                new JmhSuite("training",
                        "built-in model training and inference throughput on mnist10k (samples/s)",
                        List.of(TrainingBenchmark.class.getName() + "\\."),
                        "TrainingBenchmark.train[kernels=vector,model=logreg]",
                        new TrainingExtras()));
    }

    /** The suite called {@code name}. */
    public static BenchSuite find(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown benchmark suite '" + name
                        + "'; known suites: " + String.join(", ", all().stream().map(BenchSuite::name).toList())));
    }
}
