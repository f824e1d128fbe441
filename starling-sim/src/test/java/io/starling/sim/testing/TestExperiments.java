package io.starling.sim.testing;

import io.starling.sim.experiment.CoreModelCatalog;
import io.starling.sim.experiment.ExperimentRunner;
import io.starling.sim.experiment.ModeRegistry;
import java.util.List;

/** A runner over test data and the toy protocol, and a small config that runs in about a second. */
public final class TestExperiments {
    private TestExperiments() {
    }

    public static ExperimentRunner runner() {
        return new ExperimentRunner(new BlobsCatalog(), CoreModelCatalog.builtIn(), new ModeRegistry(List.of(new ToyStar())));
    }

    public static final String SMALL = """
            name: small
            seed: 5
            durationS: 600
            reportIntervalS: 30
            targetAccuracy: 0.8
            evalDevices: 4
            data: {source: blobs, partition: sorted}
            model: {spec: logreg}
            training: {epochs: 1, batchSize: 8, learningRate: 0.1}
            devices:
              count: 20
              source: generator
              generator: {alwaysOnFraction: 0.5, batteryFraction: 0.0}
            faults:
              aggregatorOutages: [{fromS: 200, toS: 400}]
              messageLoss: [{rate: 0.05, fromS: 0, toS: 600}]
            modes:
              - {name: toy-star, label: fast-mix, params: {mix: 0.5, retryMs: 2000}}
              - {name: toy-star, label: slow-mix, params: {mix: 0.1}}
            """;
}
