package io.starling.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.core.data.Dataset;
import io.starling.core.data.TrainTestSplit;
import io.starling.core.data.partition.PartitionReport;
import io.starling.core.data.partition.Partitioner;
import io.starling.core.data.partition.Partitioners;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code starling partition}: shows how a partitioner would split a dataset among clients (per
 * client size and class histogram), so a non-IID setting can be checked before an experiment.
 */
@Command(name = "partition", mixinStandardHelpOptions = true,
        description = "Split a dataset's training rows among clients and print each client's class histogram.")
public final class PartitionCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Option(names = "--clients", required = true, paramLabel = "N", description = "number of clients")
    int clients;

    @Option(names = "--partition", defaultValue = "iid", paramLabel = "SPEC",
            description = "one of " + Partitioners.FORMS + " (default: ${DEFAULT-VALUE})")
    String partition;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "seed of the split (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", description = "print one JSON object instead of a table")
    boolean json;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Partitioner partitioner = Partitioners.parse(partition);
        TrainTestSplit split = data.load(seed);
        Dataset train = split.train();
        List<int[]> parts = partitioner.partition(train, clients, seed);
        PartitionReport report = PartitionReport.of(train, parts);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(partitioner, report));
        } else {
            out.printf("%s over %d training rows (%d classes), %d clients, seed %d%n",
                    partitioner.spec(), train.size(), train.numClasses(), clients, seed);
            out.print(report.toTable());
        }
        out.flush();
        return StarlingCli.EXIT_OK;
    }

    private String toJson(Partitioner partitioner, PartitionReport report) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("partition", partitioner.spec());
        root.put("seed", seed);
        root.put("clients", report.clients());
        root.put("classes", report.numClasses());
        root.put("mean_labels_per_client", report.meanLabelsPerClient());
        root.put("mean_dominant_class_share", report.meanDominantClassShare());
        ArrayNode list = root.putArray("per_client");
        for (int c = 0; c < report.clients(); c++) {
            ObjectNode client = list.addObject();
            client.put("client", c);
            client.put("size", report.clientSize(c));
            ArrayNode h = client.putArray("histogram");
            for (int v : report.histogram(c)) {
                h.add(v);
            }
        }
        return root.toString();
    }
}
