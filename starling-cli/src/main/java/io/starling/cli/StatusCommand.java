package io.starling.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.core.StarlingException;
import io.starling.net.transport.HttpAddressAdvertiser;
import io.starling.node.NodeStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code starling status --target HOST:PORT [--json]}: what a running node is doing. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show a running node's role, model version and accuracy, peers, and for an aggregator its clients, "
                + "accepted updates and staleness. TARGET is the node's gRPC address (its `listen` key) or its HTTP "
                + "address (its `http` key).")
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--target", required = true, paramLabel = "HOST:PORT", description = "the node's gRPC (`listen`) or HTTP (`http`) address")
    String target;

    @Option(names = "--json", description = "print the status as JSON")
    boolean json;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!target.matches("[^:/\\s]+:\\d{1,5}")) {
            throw new IllegalArgumentException("--target must be HOST:PORT, got '" + target + "'");
        }
        // A gRPC address names the node's HTTP address in its responses; an HTTP address refuses the probe.
        String statusAddress = HttpAddressAdvertiser.lookup(target, Duration.ofSeconds(10))
                .map(advertised -> withHostOf(target, advertised)).orElse(target);
        HttpResponse<String> r;
        try {
            r = fetchStatus(statusAddress);
        } catch (IOException e) {
            throw new StarlingException("no node answers at " + target + " (" + e.getClass().getSimpleName()
                    + (statusAddress.equals(target) ? "" : " from its HTTP address " + statusAddress)
                    + "); is it running, and is this its `listen` (gRPC) or `http` address?");
        }
        if (r.statusCode() != 200) {
            throw new StarlingException(target + " answered HTTP " + r.statusCode() + ", not a Starling node status");
        }
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(r.body());
            return StarlingCli.EXIT_OK;
        }
        NodeStatus s = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .readValue(r.body(), NodeStatus.class);
        out.printf(Locale.ROOT, "node      %s (%s, %s mode, task %s) at %s, up %.0f s%n", s.id(), s.role(), s.mode(),
                s.task(), s.address(), s.uptimeMs() / 1000.0);
        out.printf(Locale.ROOT, "model     version %d, test accuracy %s%n", s.version(),
                s.accuracy() < 0 ? "not evaluated yet" : String.format(Locale.ROOT, "%.4f (version %d)", s.accuracy(),
                        s.evaluatedVersion()));
        out.printf(Locale.ROOT, "peers     %s%n", s.peers().isEmpty() ? "-" : String.join(", ", s.peers()));
        if (s.role().equals("aggregator")) {
            out.printf(Locale.ROOT, "clients   %d connected: %s%n", s.clients().size(), String.join(", ", s.clients()));
            out.printf(Locale.ROOT, "updates   %d accepted, staleness mean %.2f max %d%n", s.acceptedUpdates(),
                    s.meanStaleness(), s.maxStaleness());
        } else {
            out.printf(Locale.ROOT, "training  %d samples trained, %d updates acknowledged%n", s.trainedSamples(),
                    s.acknowledgedUpdates());
        }
        out.printf(Locale.ROOT, "traffic   %.1f MB up, %.1f MB down%n", s.bytesUp() / 1e6, s.bytesDown() / 1e6);
        return StarlingCli.EXIT_OK;
    }

    private static HttpResponse<String> fetchStatus(String hostPort) throws IOException, InterruptedException {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build().send(
                HttpRequest.newBuilder(URI.create("http://" + hostPort + "/api/status"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The advertised HTTP address, with a wildcard bind host replaced by the host that answered gRPC. */
    private static String withHostOf(String grpcTarget, String advertised) {
        String host = advertised.substring(0, advertised.lastIndexOf(':'));
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.isEmpty()) {
            return grpcTarget.substring(0, grpcTarget.lastIndexOf(':')) + advertised.substring(advertised.lastIndexOf(':'));
        }
        return advertised;
    }
}
