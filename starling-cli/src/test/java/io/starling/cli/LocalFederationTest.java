package io.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code starling local} end to end: real OS processes on 127.0.0.1 (one JVM per node) over
 * mnist10k split Dirichlet α = 0.5. Every process is stopped by the command itself.
 */
class LocalFederationTest {
    @TempDir
    Path dir;

    private JsonNode run(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = StarlingCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        assertThat(code).as("exit code; progress:%n%s", err).isZero();
        JsonNode result = new ObjectMapper().readTree(out.toString());
        System.out.printf(Locale.ROOT, "%s: final_accuracy %.4f min_accuracy %.4f versions %d wall_s %.1f%n",
                result.get("mode").asText(), result.get("final_accuracy").asDouble(),
                result.get("min_accuracy").asDouble(), result.get("versions").asLong(), result.get("wall_s").asDouble());
        return result;
    }

    @Test
    @Tag("slow")
    void syncFedAvgWithOneAggregatorAndFiveClientProcessesReachesNinetyPercent() throws Exception {
        JsonNode r = run("local", "--aggregators", "1", "--clients", "5", "--mode", "sync", "--versions", "10",
                "--timeout", "420", "--work-dir", dir.toString(), "--json");
        assertThat(r.get("final_accuracy").asDouble()).isGreaterThanOrEqualTo(0.90);
        assertThat(r.get("versions").asLong()).isGreaterThanOrEqualTo(10);
        assertThat(r.get("bytes_up").asLong()).isPositive();
        assertThat(r.get("bytes_down").asLong()).isPositive();
        assertThat(r.get("nodes")).hasSize(6);
    }

    @Test
    @Tag("slow")
    void asyncFedBuffWithOneAggregatorAndFiveClientProcessesReachesNinetyPercent() throws Exception {
        JsonNode r = run("local", "--clients", "5", "--mode", "async", "--versions", "50", "--timeout", "400",
                "--work-dir", dir.toString(), "--json");
        assertThat(r.get("final_accuracy").asDouble()).isGreaterThanOrEqualTo(0.90);
        assertThat(r.get("versions").asLong()).isGreaterThanOrEqualTo(50);
    }

    @Test
    @Tag("slow")
    void eightGossipPeersWithoutAnAggregatorEachReachEightyFivePercentWithinTheVersionBound() throws Exception {
        JsonNode r = run("local", "--aggregators", "0", "--clients", "8", "--mode", "gossip", "--target-accuracy", "0.85",
                "--versions", "300", "--timeout", "600", "--work-dir", dir.toString(), "--json");
        assertThat(r.get("reached_target").asBoolean()).isTrue();
        assertThat(r.get("nodes")).hasSize(8);
        for (JsonNode peer : r.get("nodes")) {
            assertThat(peer.get("accuracy").asDouble()).as("accuracy of %s", peer.get("id")).isGreaterThanOrEqualTo(0.85);
        }
        assertThat(r.get("min_accuracy").asDouble()).isGreaterThanOrEqualTo(0.85);
    }
}
