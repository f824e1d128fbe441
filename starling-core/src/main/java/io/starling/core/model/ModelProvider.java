package io.starling.core.model;

/**
 * A source of models found at run time through {@link java.util.ServiceLoader}, so an optional
 * engine (the DJL/PyTorch adapter in {@code starling-djl}) plugs in without starling-core
 * depending on it. A spec {@code scheme:rest} is routed to the provider whose {@link #scheme()}
 * is {@code scheme}, which receives {@code rest}; e.g. {@code djl:cnn-lenet5} reaches the
 * provider with scheme {@code djl} as {@code cnn-lenet5}.
 *
 * <p>Implementations are listed in {@code META-INF/services/io.starling.core.model.ModelProvider}
 * and must have a public no-argument constructor.
 */
public interface ModelProvider {
    /** The spec prefix this provider answers to, without the colon, e.g. {@code djl}. */
    String scheme();

    /**
     * Builds a freshly initialised model.
     *
     * @param spec the spec after {@code scheme:}, e.g. {@code cnn-lenet5}
     * @param inputDim features per example
     * @param numClasses number of classes
     * @param seed seed of the initial parameters; the same seed gives the same parameters
     * @throws io.starling.core.StarlingException if the spec is unknown to this provider or does
     *     not fit the input, or the engine cannot start
     */
    Model create(String spec, int inputDim, int numClasses, long seed);
}
