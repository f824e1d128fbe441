package io.starling.sim.modes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.sim.experiment.ConfigException;
import io.starling.sim.experiment.CoreModelCatalog;
import io.starling.sim.experiment.ExperimentConfig;
import io.starling.sim.experiment.ExperimentResult;
import io.starling.sim.experiment.ExperimentRunner;
import io.starling.sim.experiment.ProgressListener;
import io.starling.sim.report.ModeResult;
import io.starling.sim.report.ResultRow;
import io.starling.sim.testing.BlobsCatalog;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The four learning modes of starling-protocol, driven by the simulator on small data with an
 * aggregator outage in the middle third of the run.
 */
class BuiltInModesTest {
    private static final ExperimentRunner RUNNER = new ExperimentRunner(new BlobsCatalog(), CoreModelCatalog.builtIn(),
            BuiltInModes.registry());
    static final String OUTAGE = """
            name: outage
            seed: 3
            durationS: 1800
            reportIntervalS: 60
            targetAccuracy: 0.7
            evalDevices: 5
            data: {source: blobs, partition: sorted}
            model: {spec: logreg}
            training: {epochs: 1, batchSize: 10, learningRate: 0.1}
            devices:
              count: 30
              source: uniform
              uniform: {computeSamplesPerS: 10}
            faults:
              aggregatorOutages: [{fromS: 600, toS: 1200}]
            modes:
              - {name: sync, params: {clientFraction: 0.3, roundDeadlineS: 30}}
              - {name: async}
              - {name: gossip, params: {gossipPeriodS: 10}}
              - {name: hybrid, params: {gossipPeriodS: 10, modelTimeoutS: 20, probePeriodS: 30}}
            """;
    /**
     * The aggregator goes down early, before any mode has converged (slow learning rate), so
     * whether the hybrid's devices keep learning in gossip fallback shows in the accuracy.
     */
    static final String EARLY_OUTAGE = """
            name: early-outage
            seed: 3
            durationS: 1800
            reportIntervalS: 60
            targetAccuracy: 0.7
            evalDevices: 5
            data: {source: blobs, partition: sorted}
            model: {spec: logreg}
            training: {epochs: 1, batchSize: 10, learningRate: 0.002}
            devices:
              count: 30
              source: uniform
              uniform: {computeSamplesPerS: 10}
            faults:
              aggregatorOutages: [{fromS: 60, toS: 1200}]
            modes:
              - {name: sync, params: {clientFraction: 0.3, roundDeadlineS: 30}}
              - {name: hybrid, params: {gossipPeriodS: 10, modelTimeoutS: 20, probePeriodS: 30}}
            """;
    private static Map<String, ModeResult> results;
    private static Map<String, ModeResult> early;

    @BeforeAll
    static void runAllModes() {
        ExperimentConfig c = RUNNER.configLoader().validate(RUNNER.configLoader().parse(OUTAGE, "outage.yaml"), Path.of("."));
        ExperimentResult r = RUNNER.run(c, Path.of("."), ProgressListener.NONE);
        results = r.modes().stream().collect(Collectors.toMap(ModeResult::mode, m -> m));
        ExperimentConfig e = RUNNER.configLoader().validate(RUNNER.configLoader().parse(EARLY_OUTAGE, "early.yaml"), Path.of("."));
        early = RUNNER.run(e, Path.of("."), ProgressListener.NONE).modes().stream()
                .collect(Collectors.toMap(ModeResult::mode, m -> m));
        if (System.getProperty("starling.dumpCsv") != null) {
            io.starling.sim.report.ReportWriter.write(Path.of(System.getProperty("starling.dumpCsv")), "outage", 3, 0.7, r.modes());
        }
    }

    private static ResultRow at(String mode, double timeS) {
        return at(results, mode, timeS);
    }

    private static ResultRow at(Map<String, ModeResult> run, String mode, double timeS) {
        return run.get(mode).rows().stream().filter(r -> r.virtualTimeS() == timeS).findFirst().orElseThrow();
    }

    @Test
    void everyModeLearns() {
        for (String mode : results.keySet()) {
            assertThat(at(mode, 1800).testAccuracy()).as(mode).isGreaterThan(at(mode, 0).testAccuracy() + 0.2);
        }
    }

    @Test
    void syncCommitsNothingDuringTheOutageAndResumesAfterIt() {
        assertThat(at("sync", 600).version()).isGreaterThan(0);
        assertThat(at("sync", 1200).commits()).isEqualTo(at("sync", 660).commits());
        assertThat(at("sync", 1800).version()).isGreaterThan(at("sync", 1200).version());
    }

    @Test
    void asyncCommitsNothingDuringTheOutageAndResumesAfterIt() {
        assertThat(at("async", 1200).commits()).isEqualTo(at("async", 660).commits());
        assertThat(at("async", 1800).version()).isGreaterThan(at("async", 1200).version());
    }

    @Test
    void gossipAndHybridKeepCommittingDuringTheOutage() {
        assertThat(at("gossip", 1200).commits()).isGreaterThan(at("gossip", 660).commits());
        assertThat(at("hybrid", 1200).commits()).isGreaterThan(at("hybrid", 660).commits());
    }

    @Test
    void hybridAccuracyRisesDuringAnEarlyOutageWhileSyncIsFrozen() {
        assertThat(at(early, "sync", 1200).commits()).isEqualTo(at(early, "sync", 120).commits());
        assertThat(at(early, "sync", 1200).testAccuracy()).isEqualTo(at(early, "sync", 120).testAccuracy());
        assertThat(at(early, "hybrid", 1200).testAccuracy()).isGreaterThan(at(early, "hybrid", 120).testAccuracy() + 0.1);
    }

    @Test
    void hybridMergesBackWhenTheAggregatorReturns() {
        assertThat(at("hybrid", 1800).version()).isGreaterThan(at("hybrid", 1200).version());
    }

    @Test
    void asyncStalenessComesFromTheServersAcceptedUpdates() {
        assertThat(results.get("async").staleness()).isNotEmpty();
        assertThat(results.get("async").staleness().values().stream().mapToLong(Long::longValue).sum()).isGreaterThan(10);
    }

    @Test
    void badProtocolParameterIsReportedWithItsKey() {
        String bad = OUTAGE.replace("clientFraction: 0.3", "clientFraction: 1.5");
        assertThatThrownBy(() -> RUNNER.configLoader().validate(RUNNER.configLoader().parse(bad, "x.yaml"), Path.of(".")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("modes[0].params").hasMessageContaining("clientFraction");
    }

    @Test
    void badRuleSpecIsReportedWithItsKey() {
        String bad = OUTAGE.replace("{name: async}", "{name: async, params: {rule: 'fedasync:alpha=two'}}");
        assertThatThrownBy(() -> RUNNER.configLoader().validate(RUNNER.configLoader().parse(bad, "x.yaml"), Path.of(".")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("modes[1].params.rule");
    }
}
