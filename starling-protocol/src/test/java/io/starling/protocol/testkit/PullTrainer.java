package io.starling.protocol.testkit;

import io.starling.core.model.TrainConfig;
import io.starling.core.model.TrainResult;
import io.starling.core.param.ParamVector;
import io.starling.protocol.NodeId;
import java.util.HashMap;
import java.util.Map;

/**
 * A tiny deterministic "model" for protocol tests: each node's local optimum is a target vector
 * and one training call moves the parameters {@code step} of the way towards it (gradient descent
 * on a quadratic). The FedAvg optimum is the sample-weighted mean of the targets.
 */
public final class PullTrainer implements InMemoryNetwork.Trainer {
    private final Map<NodeId, float[]> targets = new HashMap<>();
    private final Map<NodeId, Long> samples = new HashMap<>();
    private final double step;

    public PullTrainer(double step) {
        this.step = step;
    }

    public PullTrainer target(NodeId node, long sampleCount, float... target) {
        targets.put(node, target.clone());
        samples.put(node, sampleCount);
        return this;
    }

    public ParamVector targetOf(NodeId node) {
        return ParamVector.of(targets.get(node));
    }

    @Override
    public InMemoryNetwork.TrainingOutcome train(NodeId node, ParamVector base, TrainConfig config) {
        float[] target = targets.get(node);
        if (target == null) {
            throw new IllegalStateException("no training target for " + node);
        }
        ParamVector before = base.copy();
        ParamVector trained = base.lerpInPlace(step, ParamVector.of(target));
        double loss = before.squaredDistance(ParamVector.of(target));
        return new InMemoryNetwork.TrainingOutcome(trained, new TrainResult(samples.get(node), 1, loss));
    }
}
