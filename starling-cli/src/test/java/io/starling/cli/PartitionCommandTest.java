package io.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PartitionCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = StarlingCli.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void printsAClassHistogramTableForTheBundledData() {
        int code = run("partition", "--clients", "10", "--partition", "shards:2");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("shards:2 over 8000 training rows (10 classes), 10 clients, seed 1")
                .contains("client     size labels |")
                .contains("10 clients, sizes");
    }

    @Test
    void jsonHasOneEntryPerClientCoveringEveryRow() throws IOException {
        int code = run("partition", "--clients", "5", "--partition", "dirichlet:0.3", "--seed", "4", "--json");

        assertThat(code).isZero();
        JsonNode root = new ObjectMapper().readTree(out.toString());
        assertThat(root.get("partition").asText()).isEqualTo("dirichlet:0.3");
        assertThat(root.get("per_client")).hasSize(5);
        int total = 0;
        for (JsonNode c : root.get("per_client")) {
            total += c.get("size").asInt();
        }
        assertThat(total).isEqualTo(8000);
    }

    @Test
    void readsACsvFileWithHeaderAndLabelColumn() throws IOException {
        Path csv = Files.writeString(dir.resolve("d.csv"), "label,x\na,1\nb,2\na,3\nb,4\n");

        int code = run("partition", "--data", csv.toString(), "--header", "--label-column", "0",
                "--test-fraction", "0.25", "--clients", "3");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("iid over 3 training rows (2 classes), 3 clients");
    }

    @Test
    void badPartitionSpecIsAOneLineUsageError() {
        int code = run("partition", "--clients", "5", "--partition", "dirichlet:lots");

        assertThat(code).isEqualTo(StarlingCli.EXIT_USAGE);
        assertThat(err.toString()).startsWith("starling: partitioner 'dirichlet:lots'")
                .contains("'lots' is not a number")
                .doesNotContain("\tat ");
    }

    @Test
    void malformedCsvRowNamesFileLineAndColumn() throws IOException {
        Path csv = Files.writeString(dir.resolve("bad.csv"), "1,a\n2,b\nx,a\n");

        int code = run("partition", "--data", csv.toString(), "--clients", "2");

        assertThat(code).isEqualTo(StarlingCli.EXIT_USAGE);
        assertThat(err.toString()).contains(csv.toString()).contains("line 3, column 1").contains("'x' is not a number");
    }

    @Test
    void missingDataPathIsNamed() {
        int code = run("partition", "--data", dir.resolve("nowhere").toString(), "--clients", "2");

        assertThat(code).isEqualTo(StarlingCli.EXIT_USAGE);
        assertThat(err.toString()).contains("nowhere: no such file or directory");
    }
}
