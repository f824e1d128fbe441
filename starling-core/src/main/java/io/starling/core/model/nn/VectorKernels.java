package io.starling.core.model.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Kernels} on the Vector API at the CPU's preferred width (16 floats with AVX-512).
 * Loading this class needs {@code --add-modules jdk.incubator.vector}; {@link Kernels#active()}
 * only loads it then.
 */
public final class VectorKernels implements Kernels {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    @Override
    public void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector va = FloatVector.broadcast(SPECIES, a);
        int j = 0;
        for (int bound = SPECIES.loopBound(n); j < bound; j += SPECIES.length()) {
            FloatVector vx = FloatVector.fromArray(SPECIES, x, xOff + j);
            FloatVector vy = FloatVector.fromArray(SPECIES, y, yOff + j);
            vx.fma(va, vy).intoArray(y, yOff + j);
        }
        for (; j < n; j++) {
            y[yOff + j] += a * x[xOff + j];
        }
    }

    @Override
    public float dot(float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector acc = FloatVector.zero(SPECIES);
        int j = 0;
        for (int bound = SPECIES.loopBound(n); j < bound; j += SPECIES.length()) {
            acc = FloatVector.fromArray(SPECIES, x, xOff + j).fma(FloatVector.fromArray(SPECIES, y, yOff + j), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) {
            sum += x[xOff + j] * y[yOff + j];
        }
        return sum;
    }

    @Override
    public String name() {
        return "vector";
    }
}
