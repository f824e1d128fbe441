package io.starling.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.node.config.NodeConfig;
import io.starling.node.local.LocalFederation;
import io.starling.node.local.LocalOptions;
import io.starling.node.local.LocalResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code starling local}: a whole federation as OS processes on this machine. */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = "Start a federation on 127.0.0.1 as separate processes over the bundled mnist10k data, stream its "
                + "progress, and stop every node at the end or on Ctrl-C.")
final class LocalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--aggregators", defaultValue = "-1", paramLabel = "A",
            description = "aggregator processes: 1 for sync/async, 0 for gossip (default: what the mode needs)")
    int aggregators;

    @Option(names = "--clients", defaultValue = "5", paramLabel = "N", description = "clients, or gossip peers (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--mode", defaultValue = "sync", paramLabel = "MODE", description = "sync, async or gossip (default: ${DEFAULT-VALUE})")
    String mode;

    @Option(names = "--model", defaultValue = "mlp:128", description = "model spec (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--partition", defaultValue = "dirichlet:0.5", description = "how the data is split (default: ${DEFAULT-VALUE})")
    String partition;

    @Option(names = "--versions", defaultValue = "0", paramLabel = "V",
            description = "stop after V committed versions (gossip: V local versions on every peer); with --target-accuracy "
                    + "the bound within which the target must be reached; default 12 sync, 40 async, 25 gossip")
    int versions;

    @Option(names = "--target-accuracy", defaultValue = "0", paramLabel = "ACC",
            description = "stop as soon as every client's (peer's) latest model scores at least ACC on the test split; "
                    + "exit 1 if --versions or --timeout comes first (default: off, stop after --versions)")
    double targetAccuracy;

    @Option(names = "--timeout", defaultValue = "300", paramLabel = "SECONDS", description = "give up after this long (default: ${DEFAULT-VALUE})")
    int timeoutS;

    @Option(names = "--seed", defaultValue = "42", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "node configs, logs and data (default: a new temp directory)")
    Path workDir;

    @Option(names = "--json", description = "print one JSON object with final_accuracy, versions, bytes_up, bytes_down, wall_s")
    boolean json;

    @Override
    public Integer call() throws Exception {
        NodeConfig.Mode m;
        try {
            m = NodeConfig.Mode.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--mode must be sync, async or gossip, got '" + mode + "'");
        }
        int a = aggregators >= 0 ? aggregators : (m == NodeConfig.Mode.GOSSIP ? 0 : 1);
        int v = versions > 0 ? versions : switch (m) {
            case SYNC -> 12;
            case ASYNC -> 40;
            case GOSSIP -> 25;
        };
        Path dir = workDir != null ? workDir : Files.createTempDirectory("starling-local-");
        List<String> java = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m",
                "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                StarlingCli.class.getName(), "node");
        PrintWriter progress = json ? spec.commandLine().getErr() : spec.commandLine().getOut();
        LocalOptions options = new LocalOptions(a, clients, m, model, partition, v, targetAccuracy, timeoutS, seed, dir,
                java);
        LocalResult r = new LocalFederation(options, progress).run();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode o = mapper.createObjectNode();
            o.put("mode", r.mode());
            o.put("final_accuracy", r.finalAccuracy());
            o.put("min_accuracy", r.minAccuracy());
            o.put("versions", r.versions());
            o.put("bytes_up", r.bytesUp());
            o.put("bytes_down", r.bytesDown());
            o.put("wall_s", r.wallS());
            o.put("reached_target", r.reachedTarget());
            o.put("work_dir", dir.toString());
            o.set("nodes", mapper.valueToTree(r.nodes()));
            spec.commandLine().getOut().println(mapper.writeValueAsString(o));
        } else {
            spec.commandLine().getOut().printf(Locale.ROOT,
                    "%s: final accuracy %.4f (min %.4f) after %d versions in %.1f s; clients sent %.1f MB, received %.1f MB%n",
                    r.mode(), r.finalAccuracy(), r.minAccuracy(), r.versions(), r.wallS(), r.bytesUp() / 1e6,
                    r.bytesDown() / 1e6);
        }
        return r.reachedTarget() ? StarlingCli.EXIT_OK : StarlingCli.EXIT_FAILED;
    }
}
