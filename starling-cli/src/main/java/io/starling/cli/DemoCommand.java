package io.starling.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.starling.core.aggregate.AggregationRule;
import io.starling.core.aggregate.AggregationRules;
import io.starling.core.data.Dataset;
import io.starling.core.data.Mnist10k;
import io.starling.core.data.TrainTestSplit;
import io.starling.core.data.partition.Partitioner;
import io.starling.core.data.partition.Partitioners;
import io.starling.core.federated.FederatedHistory;
import io.starling.core.federated.FederatedSetup;
import io.starling.core.federated.RoundReport;
import io.starling.core.federated.SyncConfig;
import io.starling.core.federated.SyncFederatedLoop;
import io.starling.core.model.Model;
import io.starling.core.model.ModelFactory;
import io.starling.core.model.TrainConfig;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code starling demo}: federated learning in one process on the bundled digits — clients with
 * non-IID data, synchronous rounds, FedAvg — so a fresh clone shows the idea in seconds. A
 * stop-gap until the networked demo: it uses the in-process loop, no sockets or replicas.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a small federated training in one process on the bundled mnist10k digits.")
final class DemoCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--clients", defaultValue = "20", description = "simulated clients (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--partition", defaultValue = "dirichlet:0.5",
            description = "how the training digits are split among clients: " + Partitioners.FORMS
                    + " (default: ${DEFAULT-VALUE})")
    String partition;

    @Option(names = "--rounds", defaultValue = "15", description = "synchronous rounds (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--fraction", defaultValue = "0.5", description = "fraction C of clients per round (default: ${DEFAULT-VALUE})")
    double fraction;

    @Option(names = "--local-epochs", defaultValue = "1", description = "local epochs E per round (default: ${DEFAULT-VALUE})")
    int localEpochs;

    @Option(names = "--model", defaultValue = "mlp:64", description = "model spec (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--rule", defaultValue = "fedavg", description = "aggregation rule spec (default: ${DEFAULT-VALUE})")
    String rule;

    @Option(names = "--seed", defaultValue = "1", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    @Spec
    CommandSpec spec;

    /** What {@code --json} prints. */
    record DemoReport(String model, String partition, String rule, int clients, double clientFraction, int rounds,
                      double finalTestAccuracy, double bestTestAccuracy, List<RoundReport> history) {
    }

    @Override
    public Integer call() throws Exception {
        if (clients < 1) {
            throw new IllegalArgumentException("--clients must be >= 1, got " + clients);
        }
        if (localEpochs < 1) {
            throw new IllegalArgumentException("--local-epochs must be >= 1, got " + localEpochs);
        }
        AggregationRule aggregation = AggregationRules.parse(rule);
        Partitioner partitioner = Partitioners.parse(partition);
        SyncConfig config = new SyncConfig(rounds, fraction, TrainConfig.defaults().withEpochs(localEpochs), seed);
        TrainTestSplit data = Mnist10k.load();
        List<Dataset> parts = partitioner.split(data.train(), clients, seed);
        Model global = ModelFactory.builtIn().create(model, data.train().featureDim(), data.train().numClasses(), seed);

        PrintWriter out = spec.commandLine().getOut();
        if (!json) {
            out.printf(Locale.ROOT, "federated %s on mnist10k: %d clients (%s), %d per round, %s, %d rounds%n",
                    global.spec(), clients, partitioner.spec(), config.clientsPerRound(clients), aggregation.spec(),
                    rounds);
            out.flush();
        }
        FederatedHistory history = new SyncFederatedLoop(new FederatedSetup(global, parts, data.test()), aggregation,
                config).run(r -> {
                    if (!json) {
                        out.printf(Locale.ROOT, "round %2d  client updates %4d  train loss %.4f  test accuracy %.4f%n",
                                r.step(), r.clientUpdates(), r.meanTrainLoss(), r.testAccuracy());
                        out.flush();
                    }
                });
        if (json) {
            out.println(JSON.writeValueAsString(new DemoReport(global.spec(), partitioner.spec(), aggregation.spec(),
                    clients, fraction, rounds, history.last().testAccuracy(), history.bestAccuracy(),
                    history.reports())));
        } else {
            out.printf(Locale.ROOT, "test accuracy %.4f after %d rounds (best %.4f)%n",
                    history.last().testAccuracy(), rounds, history.bestAccuracy());
        }
        out.flush();
        return StarlingCli.EXIT_OK;
    }
}
