package io.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Argument errors of {@code starling demo}: exit code 2, one line that says what to do, nothing started. */
class DemoCommandTest {
    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = StarlingCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static long replicaProcesses() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("ReplicaProcessMain")).count();
    }

    @Test
    void twoReplicasAreRefusedBecauseARaftGroupNeedsThreeOrFive() {
        Run r = run("demo", "--replicas", "2");

        assertThat(r.exit()).isEqualTo(StarlingCli.EXIT_USAGE);
        assertThat(r.err()).startsWith("starling: --replicas 2").contains("3 or 5");
        assertThat(replicaProcesses()).isZero();
    }

    @Test
    void aNonNumericDurationIsAUsageError() {
        Run r = run("demo", "--duration-s", "soon");

        assertThat(r.exit()).isEqualTo(StarlingCli.EXIT_USAGE);
        assertThat(r.err()).contains("--duration-s");
    }

    @Test
    void anUnknownPartitionIsAOneLineErrorBeforeAnyProcessStarts() {
        Run r = run("demo", "--partition", "zipf:2", "--out", System.getProperty("java.io.tmpdir") + "/starling-demo-bad");

        assertThat(r.exit()).isEqualTo(StarlingCli.EXIT_USAGE);
        assertThat(r.err()).startsWith("starling: ").contains("zipf");
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(replicaProcesses()).isZero();
    }

    @Test
    void helpListsTheOptions() {
        Run r = run("demo", "--help");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--replicas", "--clients", "--duration-s", "--kills", "--outage-s",
                "--fallback-timeout-ms", "--seed", "--model", "--json",
                "--out");
    }
}
