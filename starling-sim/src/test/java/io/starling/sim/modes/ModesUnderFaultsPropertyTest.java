package io.starling.sim.modes;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.sim.experiment.CoreModelCatalog;
import io.starling.sim.experiment.ExperimentConfig;
import io.starling.sim.experiment.ExperimentResult;
import io.starling.sim.experiment.ExperimentRunner;
import io.starling.sim.experiment.ProgressListener;
import io.starling.sim.report.ModeResult;
import io.starling.sim.testing.BlobsCatalog;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The real protocols under random crashes (with and without state), outages, partitions and
 * loss: the simulator's invariants (checked after every event) hold for every seed, and a seed
 * replays to the same results.
 */
class ModesUnderFaultsPropertyTest {
    private static final ExperimentRunner RUNNER = new ExperimentRunner(new BlobsCatalog(), CoreModelCatalog.builtIn(),
            BuiltInModes.registry());

    private static ExperimentResult run(long seed, int crashAtS, int device, boolean keepState, int lossPercent) {
        String yaml = """
                seed: %d
                durationS: 300
                reportIntervalS: 60
                evalDevices: 2
                data: {source: blobs, partition: iid}
                training: {epochs: 1, batchSize: 10, learningRate: 0.1}
                devices: {count: 6, source: uniform, uniform: {computeSamplesPerS: 20}}
                faults:
                  aggregatorOutages: [{fromS: 100, toS: 160}]
                  crashes: [{device: %d, atS: %d, recoverAtS: %d, keepState: %s}]
                  partitions: [{fromS: 200, toS: 240, groups: [[0, 1, 2]], aggregatorGroup: 0}]
                  messageLoss: [{rate: %s, fromS: 0, toS: 300}]
                modes:
                  - {name: sync, params: {clientFraction: 0.5, roundDeadlineS: 20, modelTimeoutS: 30}}
                  - {name: async, params: {modelTimeoutS: 30}}
                  - {name: gossip, params: {gossipPeriodS: 10}}
                  - {name: hybrid, params: {gossipPeriodS: 10, modelTimeoutS: 20, probePeriodS: 20}}
                """.formatted(seed, device, crashAtS, crashAtS + 50, keepState, lossPercent / 100.0);
        ExperimentConfig c = RUNNER.configLoader().validate(RUNNER.configLoader().parse(yaml, "property"), Path.of("."));
        return RUNNER.run(c, Path.of("."), ProgressListener.NONE);
    }

    @Property(tries = 8)
    void invariantsHoldAndSeedsReplay(@ForAll @LongRange(min = 1, max = 1_000_000) long seed,
                                      @ForAll @IntRange(min = 1, max = 240) int crashAtS,
                                      @ForAll @IntRange(min = 0, max = 5) int device,
                                      @ForAll boolean keepState,
                                      @ForAll @IntRange(min = 0, max = 30) int lossPercent) {
        ExperimentResult first = run(seed, crashAtS, device, keepState, lossPercent);
        ExperimentResult second = run(seed, crashAtS, device, keepState, lossPercent);
        assertThat(first.modes()).hasSize(4);
        for (int m = 0; m < 4; m++) {
            ModeResult a = first.modes().get(m);
            ModeResult b = second.modes().get(m);
            assertThat(a.rows()).as("mode %s replays", a.mode()).isEqualTo(b.rows());
            assertThat(a.rows()).allSatisfy(r -> assertThat(r.testAccuracy()).isBetween(0.0, 1.0));
        }
    }
}
