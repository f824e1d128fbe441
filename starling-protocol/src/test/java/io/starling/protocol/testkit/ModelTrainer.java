package io.starling.protocol.testkit;

import io.starling.core.data.Dataset;
import io.starling.core.model.Model;
import io.starling.core.model.TrainConfig;
import io.starling.core.model.TrainResult;
import io.starling.core.param.ParamVector;
import io.starling.protocol.NodeId;
import java.util.HashMap;
import java.util.Map;

/** Trains a real {@link Model} (e.g. the built-in logistic regression) on each node's local data. */
public final class ModelTrainer implements InMemoryNetwork.Trainer {
    private final Model template;
    private final Map<NodeId, Dataset> localData = new HashMap<>();

    public ModelTrainer(Model template) {
        this.template = template;
    }

    public ModelTrainer data(NodeId node, Dataset data) {
        localData.put(node, data);
        return this;
    }

    @Override
    public InMemoryNetwork.TrainingOutcome train(NodeId node, ParamVector base, TrainConfig config) {
        Dataset data = localData.get(node);
        if (data == null) {
            throw new IllegalStateException("no local data for " + node);
        }
        Model model = template.copy();
        model.setParams(base);
        TrainResult result = model.train(data, config);
        return new InMemoryNetwork.TrainingOutcome(model.params(), result);
    }
}
