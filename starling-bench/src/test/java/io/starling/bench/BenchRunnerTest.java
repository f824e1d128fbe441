package io.starling.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The runner's command line, without running any benchmark. */
class BenchRunnerTest {
    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = BenchRunner.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void listNamesEverySuite() {
        Run r = run("--list");
        assertThat(r.exitCode()).isZero();
        for (BenchSuite s : BenchSuites.all()) {
            assertThat(r.out()).contains(s.name()).contains(s.description());
        }
    }

    @Test
    void unknownSuiteIsAOneLineError() {
        Run r = run("nope");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("bench: unknown benchmark suite 'nope'").doesNotContain("\tat ");
    }
}
