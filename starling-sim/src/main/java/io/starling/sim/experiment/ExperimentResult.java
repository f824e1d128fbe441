package io.starling.sim.experiment;

import io.starling.sim.report.ModeResult;
import java.util.List;

/** The outcome of an experiment: its config and one result per mode, in config order. */
public record ExperimentResult(ExperimentConfig config, List<ModeResult> modes) {
    public ExperimentResult {
        modes = List.copyOf(modes);
    }
}
