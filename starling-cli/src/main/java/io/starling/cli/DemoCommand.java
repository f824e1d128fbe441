package io.starling.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.starling.cli.demo.DemoRun;
import io.starling.cli.demo.DemoSettings;
import io.starling.cli.demo.DemoSummary;
import io.starling.cli.demo.Narrator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code starling demo}: a local cluster of aggregator replicas (separate JVMs, Ratis over gRPC on
 * 127.0.0.1) and federated clients trains on mnist10k while every replica is down for a while (the
 * clients learn by gossip and hand their models back) and while the leader is SIGKILLed; the run
 * narrates both and ends with the final accuracy and a report. See docs/demo.md.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Train on mnist10k with a replicated aggregator. First SIGKILL every replica for --outage-s: "
                + "the clients learn by gossip with each other until the restarted group has a leader, which merges "
                + "their gossip models into the committed chain. Then SIGKILL the leader --kills times and watch "
                + "another replica take over without losing an acknowledged update.",
            "Writes report.html, accuracy.csv, gossip.csv, events.csv and summary.json to --out."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--replicas", paramLabel = "N", description = "Aggregator replicas, 3 or 5 (default ${DEFAULT-VALUE}).")
    int replicas = DemoSettings.DEFAULT_REPLICAS;

    @Option(names = "--clients", paramLabel = "N", description = "Federated clients (default ${DEFAULT-VALUE}).")
    int clients = DemoSettings.DEFAULT_CLIENTS;

    @Option(names = "--duration-s", paramLabel = "S", description = "Seconds of training while the group is up "
            + "(the outage comes on top; default ${DEFAULT-VALUE}).")
    int durationS = DemoSettings.DEFAULT_DURATION_S;

    @Option(names = "--kills", paramLabel = "N", description = "Times the leader is SIGKILLed (default ${DEFAULT-VALUE}).")
    int kills = DemoSettings.DEFAULT_KILLS;

    @Option(names = "--outage-s", paramLabel = "S", description = "Seconds every replica is down (before the kills), "
            + "while the clients gossip; 0: no outage (default ${DEFAULT-VALUE}).")
    int outageS = DemoSettings.DEFAULT_OUTAGE_S;

    @Option(names = "--fallback-timeout-ms", paramLabel = "MS", description = "A client with no model from a serving "
            + "leader for this long switches to gossip (default ${DEFAULT-VALUE}).")
    long fallbackTimeoutMs = DemoSettings.DEFAULT_FALLBACK_TIMEOUT_MS;

    @Option(names = "--no-restart", description = "Leave killed replicas dead (at most a minority may be killed).")
    boolean noRestart;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of model, partition and training (default ${DEFAULT-VALUE}).")
    long seed = DemoSettings.DEFAULT_SEED;

    @Option(names = "--model", paramLabel = "SPEC", description = "Built-in model: logreg, mlp, mlp:H1,H2,... (default ${DEFAULT-VALUE}).")
    String model = DemoSettings.DEFAULT_MODEL;

    @Option(names = "--partition", paramLabel = "SPEC", description = "How mnist10k is split among clients (default ${DEFAULT-VALUE}).")
    String partition = DemoSettings.DEFAULT_PARTITION;

    @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default ${DEFAULT-VALUE}).")
    Path out = Path.of("starling-demo");

    @Option(names = "--json", description = "Print one JSON summary on stdout (the narration goes to stderr).")
    boolean json;

    @Option(names = "--verbose", description = "Print stack traces of errors, and the in-process clients' INFO logs "
            + "on stderr (retries, gossip switches).")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        DemoSettings settings = new DemoSettings(replicas, clients, durationS, kills, outageS, fallbackTimeoutMs, !noRestart,
                DemoSettings.DEFAULT_RESTART_DELAY_MS, seed, model, partition, out);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter story = json ? spec.commandLine().getErr() : stdout;
        DemoSummary summary;
        try (QuietLogs quiet = QuietLogs.unless(verbose)) {
            summary = new DemoRun(settings, new Narrator(story, System.nanoTime())).run();
        }
        if (json) {
            stdout.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary.toJson()));
            stdout.flush();
        }
        boolean ok = summary.lostAcknowledgedUpdates() == 0 && summary.replicasAgree()
                && summary.historyViolations().isEmpty();
        return ok ? StarlingCli.EXIT_OK : StarlingCli.EXIT_FAILED;
    }

    /**
     * The narration is the demo's output. The clients run in this JVM, and their INFO logs (blob
     * upload retries to a killed leader, gossip switches the narration already tells) would
     * interleave with it on the terminal, so Starling's loggers stay at WARN during the run unless
     * {@code --verbose}. The replica processes log to their own files under {@code --out}.
     */
    private record QuietLogs(ch.qos.logback.classic.Logger logger, ch.qos.logback.classic.Level before)
            implements AutoCloseable {
        static QuietLogs unless(boolean verbose) {
            if (!verbose && org.slf4j.LoggerFactory.getLogger("io.starling") instanceof ch.qos.logback.classic.Logger l) {
                QuietLogs q = new QuietLogs(l, l.getLevel());
                l.setLevel(ch.qos.logback.classic.Level.WARN);
                return q;
            }
            return new QuietLogs(null, null);
        }

        @Override
        public void close() {
            if (logger != null) {
                logger.setLevel(before);
            }
        }
    }
}
