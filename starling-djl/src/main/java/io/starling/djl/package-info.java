/**
 * Optional model engine backed by DJL and PyTorch (CPU). It runs strictly offline from the native
 * libraries bundled in Maven jars, exposes models through the same {@link io.starling.core.model.Model}
 * SPI and flat parameter layout as the built-in engine, and registers the {@code djl:} spec prefix
 * through {@link io.starling.core.model.ModelProvider}. Nothing in Starling depends on it.
 */
package io.starling.djl;
