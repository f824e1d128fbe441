package io.starling.sim.experiment;

import io.starling.core.StarlingException;
import io.starling.core.model.Model;
import io.starling.core.model.ModelFactory;

/** Model specs resolved by starling-core's {@link ModelFactory} ({@code logreg}, {@code mlp:256,128}, ...). */
public final class CoreModelCatalog implements ModelCatalog {
    private final ModelFactory factory;

    public CoreModelCatalog(ModelFactory factory) {
        this.factory = factory;
    }

    public static CoreModelCatalog builtIn() {
        return new CoreModelCatalog(ModelFactory.builtIn());
    }

    @Override
    public void check(String spec, String path) {
        if (spec == null || spec.isBlank()) {
            throw new ConfigException(path + ": expected a model spec, one of " + factory.known());
        }
        try {
            factory.create(spec, 2, 2, 0);
        } catch (StarlingException | IllegalArgumentException e) {
            throw new ConfigException(path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Model create(String spec, int inputDim, int classes, long seed) {
        return factory.create(spec, inputDim, classes, seed);
    }
}
