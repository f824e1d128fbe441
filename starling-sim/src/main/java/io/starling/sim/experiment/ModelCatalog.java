package io.starling.sim.experiment;

import io.starling.core.model.Model;

/** Builds models from the spec strings configs use ({@code model.spec}). */
public interface ModelCatalog {
    /** Throws {@link ConfigException} naming {@code path} if {@code spec} is not a model spec. */
    void check(String spec, String path);

    Model create(String spec, int inputDim, int classes, long seed);
}
