package io.starling.core.model.nn;

import java.util.Locale;

/**
 * The vector primitives the layers' inner loops are made of. Two implementations:
 * {@link ScalarKernels}, plain loops, and {@link VectorKernels}, explicit SIMD through the
 * incubating {@code jdk.incubator.vector} module.
 *
 * <p>Why not rely on the JIT alone: HotSpot's auto-vectoriser (up to JDK 25) only vectorises
 * {@code y[yo + j] += a * x[xo + j]} when it can prove that {@code x} and {@code y} do not
 * overlap, which it cannot for two {@code float[]} parameters with different offsets — exactly
 * the shape of a row-major matrix product. Measured here, the Vector API runs that loop about
 * five times faster.
 *
 * <p>Selection, once per JVM, by the system property {@code starling.kernels}: {@code auto} (the
 * default) picks {@code vector} when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} and {@code scalar} otherwise; {@code scalar} and
 * {@code vector} force one. The two give results that differ in the last bits (fused
 * multiply-add, different summation order), each deterministic on its own.
 */
public sealed interface Kernels permits ScalarKernels, VectorKernels {
    /** {@code y[yOff .. yOff + n) += a * x[xOff .. xOff + n)}. */
    void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n);

    /** {@code Σ x[xOff + j] * y[yOff + j]} for {@code j < n}. */
    float dot(float[] x, int xOff, float[] y, int yOff, int n);

    /** {@code scalar} or {@code vector}. */
    String name();

    /** The kernels this JVM uses (see the class comment). */
    static Kernels active() {
        return Selected.INSTANCE;
    }

    /** Lazily initialised holder, so that {@code VectorKernels} is loaded only when chosen. */
    final class Selected {
        static final Kernels INSTANCE = select(System.getProperty("starling.kernels", "auto"));

        private Selected() {
        }

        static Kernels select(String choice) {
            boolean vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
            return switch (choice.strip().toLowerCase(Locale.ROOT)) {
                case "scalar" -> new ScalarKernels();
                case "vector" -> {
                    if (!vectorModule) {
                        throw new IllegalStateException("-Dstarling.kernels=vector needs the JVM option"
                                + " --add-modules jdk.incubator.vector");
                    }
                    yield new VectorKernels();
                }
                case "auto" -> vectorModule ? new VectorKernels() : new ScalarKernels();
                default -> throw new IllegalStateException("starling.kernels must be auto, scalar or vector, got '"
                        + choice + "'");
            };
        }
    }
}
