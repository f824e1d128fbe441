package io.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code starling local --aggregators 3}: a replicated aggregator of three replica processes and
 * four client processes on 127.0.0.1, all started as {@code starling node} from the YAML the
 * command writes (roles replica and client-of-a-group), over mnist10k split Dirichlet α = 0.5.
 */
class ReplicatedLocalFederationTest {
    @TempDir
    Path dir;

    @Test
    @Tag("slow")
    void threeReplicaProcessesAndFourClientProcessesTrainAsyncToEightyFivePercent() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = StarlingCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("local", "--aggregators", "3", "--clients", "4", "--mode", "async", "--model", "mlp:32",
                "--target-accuracy", "0.85", "--versions", "300", "--timeout", "240", "--work-dir", dir.toString(),
                "--json");
        System.out.println(err);
        assertThat(code).as("exit code; progress:%n%s", err).isZero();
        JsonNode r = new ObjectMapper().readTree(out.toString());
        System.out.printf(Locale.ROOT, "replicated async: final_accuracy %.4f min %.4f versions %d wall_s %.1f leader %s "
                        + "leader_changes %d%n", r.get("final_accuracy").asDouble(), r.get("min_accuracy").asDouble(),
                r.get("versions").asLong(), r.get("wall_s").asDouble(), r.get("leader").asText(),
                r.get("leader_changes").asInt());
        assertThat(r.get("reached_target").asBoolean()).isTrue();
        assertThat(r.get("final_accuracy").asDouble()).isGreaterThanOrEqualTo(0.85);
        assertThat(r.get("nodes")).hasSize(7);
        assertThat(r.get("leader").asText()).startsWith("replica-");
        assertThat(r.get("bytes_up").asLong()).isPositive();
        assertThat(r.get("bytes_down").asLong()).isPositive();
        long replicas = 0;
        for (JsonNode node : r.get("nodes")) {
            if (node.get("role").asText().equals("replica")) {
                replicas++;
                assertThat(node.get("members")).hasSize(3);
            }
        }
        assertThat(replicas).isEqualTo(3);
        assertThat(Files.readString(dir.resolve("replica-0.yaml"))).contains("role: replica", "cluster:");
    }
}
