package io.starling.sim.experiment;

import io.starling.sim.modes.BuiltInModes;

/** The runner the CLI uses: starling-core's data and models, starling-protocol's modes. */
public final class SimulationDefaults {
    private SimulationDefaults() {
    }

    public static ExperimentRunner runner() {
        return new ExperimentRunner(new CoreDataCatalog(), CoreModelCatalog.builtIn(), BuiltInModes.registry());
    }
}
