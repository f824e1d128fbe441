package io.starling.sim.experiment;

import io.starling.core.data.Dataset;
import io.starling.core.model.Model;
import io.starling.core.model.TrainConfig;
import io.starling.core.model.TrainResult;
import io.starling.core.param.ParamVector;
import io.starling.sim.engine.LocalTrainer;

/**
 * Trains for real with one scratch {@link Model} (the simulation is single-threaded): load the
 * base parameters, train on the device's data as it stands now, hand back the new parameters.
 * Nodes without data (aggregators, devices whose stream has not delivered yet) return the base
 * unchanged with zero samples.
 */
public final class DatasetTrainer implements LocalTrainer {
    private final Model scratch;
    private final DeviceData data;
    private final int firstDeviceIndex;

    /** @param firstDeviceIndex node index of device 0 (the aggregators come first) */
    public DatasetTrainer(Model scratch, DeviceData data, int firstDeviceIndex) {
        this.scratch = scratch;
        this.data = data;
        this.firstDeviceIndex = firstDeviceIndex;
    }

    @Override
    public Outcome train(int index, ParamVector base, TrainConfig config, long nowMs) {
        int device = index - firstDeviceIndex;
        if (device < 0 || data.available(device, nowMs) == 0) {
            return new Outcome(base.copy(), new TrainResult(0, 0, 0.0));
        }
        Dataset local = data.trainingSet(device, nowMs);
        scratch.setParams(base.copy());
        TrainResult result = scratch.train(local, config);
        return new Outcome(scratch.params(), result);
    }
}
