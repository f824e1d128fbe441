package io.starling.djl;

import io.starling.core.model.Model;
import io.starling.core.model.ModelProvider;

/**
 * Makes {@code djl:<spec>} model specs (e.g. {@code djl:cnn-lenet5}) available wherever Starling
 * builds models, found through {@link java.util.ServiceLoader} when this module is on the class
 * path.
 */
public final class DjlModelProvider implements ModelProvider {
    /** The spec prefix, without the colon. */
    public static final String SCHEME = "djl";

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public Model create(String spec, int inputDim, int numClasses, long seed) {
        return DjlModel.create(spec, inputDim, numClasses, seed);
    }
}
