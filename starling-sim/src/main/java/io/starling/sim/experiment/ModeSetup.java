package io.starling.sim.experiment;

import io.starling.core.model.TrainConfig;
import io.starling.core.param.ParamVector;
import io.starling.protocol.NodeId;
import java.util.List;

/**
 * What a learning mode needs to build its nodes: who is who, the initial model every node starts
 * from, the local training settings and the mode's own parameters.
 */
public record ModeSetup(List<NodeId> aggregators, List<NodeId> devices, ParamVector initialModel,
                        TrainConfig trainConfig, ModeParams params, long seed) {
    public ModeSetup {
        aggregators = List.copyOf(aggregators);
        devices = List.copyOf(devices);
    }
}
