package io.starling.sim.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.sim.report.ModeResult;
import io.starling.sim.report.ReportWriter;
import io.starling.sim.report.ResultRow;
import io.starling.sim.testing.TestExperiments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentRunnerTest {
    @TempDir
    Path dir;

    private ExperimentResult run(String yaml) {
        ExperimentRunner runner = TestExperiments.runner();
        ExperimentConfig config = runner.configLoader().validate(runner.configLoader().parse(yaml, "test.yaml"), dir);
        return runner.run(config, dir, ProgressListener.NONE);
    }

    private Path runToDir(String yaml, String name) {
        ExperimentResult r = run(yaml);
        Path out = dir.resolve(name);
        ReportWriter.write(out, r.config().name(), r.config().seed(), r.config().targetAccuracy(), r.modes());
        return out;
    }

    @Test
    void smallRunLearnsAndReportsEveryInterval() {
        ExperimentResult r = run(TestExperiments.SMALL);
        assertThat(r.modes()).extracting(ModeResult::mode).containsExactly("fast-mix", "slow-mix");
        ModeResult fast = r.modes().get(0);
        // t = 0, 30, ..., 600
        assertThat(fast.rows()).hasSize(21);
        assertThat(fast.rows().get(0).testAccuracy()).isLessThan(0.5);
        assertThat(fast.last().testAccuracy()).isGreaterThan(fast.rows().get(0).testAccuracy() + 0.25);
        assertThat(fast.last().bytesUp()).isPositive();
        assertThat(fast.last().bytesDown()).isPositive();
        assertThat(fast.last().energyJ()).isPositive();
        assertThat(fast.staleness()).isNotEmpty();
    }

    @Test
    void versionsStallWhileTheAggregatorIsDown() {
        ModeResult fast = run(TestExperiments.SMALL).modes().get(0);
        long atOutageStart = versionAt(fast, 210);
        long atOutageEnd = versionAt(fast, 390);
        assertThat(atOutageEnd).isEqualTo(atOutageStart);
        assertThat(versionAt(fast, 600)).isGreaterThan(atOutageEnd);
        assertThat(versionAt(fast, 180)).isGreaterThan(versionAt(fast, 30));
    }

    private static long versionAt(ModeResult m, double timeS) {
        return m.rows().stream().filter(r -> r.virtualTimeS() == timeS).findFirst().map(ResultRow::version).orElseThrow();
    }

    @Test
    void sameSeedGivesByteIdenticalResultsCsv() throws IOException {
        byte[] first = Files.readAllBytes(runToDir(TestExperiments.SMALL, "a").resolve(ReportWriter.RESULTS_CSV));
        byte[] second = Files.readAllBytes(runToDir(TestExperiments.SMALL, "b").resolve(ReportWriter.RESULTS_CSV));
        assertThat(first).isEqualTo(second);
        byte[] otherSeed = Files.readAllBytes(runToDir(TestExperiments.SMALL.replace("seed: 5", "seed: 6"), "c")
                .resolve(ReportWriter.RESULTS_CSV));
        assertThat(otherSeed).isNotEqualTo(first);
    }

    @Test
    void modesOfOneExperimentSeeTheSameDevices() {
        ExperimentResult r = run(TestExperiments.SMALL);
        List<Integer> fastActive = r.modes().get(0).rows().stream().map(ResultRow::activeDevices).toList();
        List<Integer> slowActive = r.modes().get(1).rows().stream().map(ResultRow::activeDevices).toList();
        assertThat(fastActive).isEqualTo(slowActive);
    }

    @Test
    void streamingDataReportsAccuracyOnTheRecentWindow() {
        String yaml = TestExperiments.SMALL.replace("data: {source: blobs, partition: sorted}",
                "data: {source: blobs, partition: iid, streaming: {enabled: true, initialFraction: 0.1, samplesPerS: 0.2, windowS: 60}}");
        ModeResult m = run(yaml).modes().get(0);
        assertThat(m.rows().get(0).windowAccuracy()).isNaN(); // nothing has arrived yet at t = 0
        assertThat(m.last().windowAccuracy()).isGreaterThan(0.6);
    }

    @Test
    void writesCsvSummaryAndReport() throws IOException {
        Path out = runToDir(TestExperiments.SMALL, "r");
        List<String> csv = Files.readAllLines(out.resolve(ReportWriter.RESULTS_CSV));
        assertThat(csv.get(0)).startsWith("mode,virtual_time_s,version,commits,test_accuracy,test_loss,");
        assertThat(csv.get(0)).contains("bytes_up,bytes_down,energy_j,active_devices");
        assertThat(csv).hasSize(1 + 2 * 21);
        String summary = Files.readString(out.resolve(ReportWriter.SUMMARY_JSON));
        assertThat(summary).contains("\"fast-mix\"", "\"time_to_target_s\"", "\"bytes_to_target\"",
                "\"energy_to_target_j\"", "\"final_accuracy\"");
    }
}
