package io.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {
    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = StarlingCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private Path config(String yaml) throws IOException {
        Path f = dir.resolve("exp.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void simulatesMnistWithTwoModesAndWritesTheReports() throws IOException {
        Path cfg = config("""
                name: cli-smoke
                durationS: 300
                reportIntervalS: 60
                targetAccuracy: 0.3
                evalDevices: 3
                data: {source: mnist10k, partition: "dirichlet:0.5"}
                devices: {count: 8, source: uniform, uniform: {computeSamplesPerS: 100}}
                modes: [{name: async}, {name: gossip, params: {gossipPeriodS: 20}}]
                """);
        Path outDir = dir.resolve("out");
        int code = run("simulate", "--config", cfg.toString(), "--out", outDir.toString(), "--seed", "9", "--no-progress");
        assertThat(code).as(err.toString()).isZero();
        assertThat(outDir.resolve("results.csv")).exists();
        assertThat(outDir.resolve("summary.json")).content().contains("\"seed\" : 9", "\"async\"", "\"gossip\"");
        assertThat(outDir.resolve("report.html")).content().contains("<svg");
        assertThat(out.toString()).contains("time to target").contains("async").contains("gossip");
    }

    @Test
    void badConfigExitsWithUsageErrorNamingTheKey() throws IOException {
        Path cfg = config("""
                data: {source: mnist10k}
                devices: {count: -3}
                modes: [{name: async}]
                """);
        int code = run("simulate", "--config", cfg.toString(), "--out", dir.resolve("o").toString());
        assertThat(code).isEqualTo(StarlingCli.EXIT_USAGE);
        assertThat(err.toString()).contains("devices.count").doesNotContain("Exception");
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void missingDataDirectoryIsNamedBeforeAnythingRuns() throws IOException {
        Path cfg = config("""
                data: {source: "idx:no-such-dir"}
                modes: [{name: sync}]
                """);
        int code = run("simulate", "--config", cfg.toString(), "--out", dir.resolve("o").toString());
        assertThat(code).isEqualTo(StarlingCli.EXIT_USAGE);
        assertThat(err.toString()).contains("data.source").contains("no-such-dir");
    }
}
