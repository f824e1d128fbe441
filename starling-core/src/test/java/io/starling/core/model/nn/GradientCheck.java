package io.starling.core.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/** Central finite differences against analytic gradients, shared by the layer and network checks. */
final class GradientCheck {
    private GradientCheck() {
    }

    /** Asserts that dF/dx[i] ≈ analytic for {@code F = objective} when {@code x[i]} is perturbed by ±eps. */
    static void assertMatches(String what, float[] x, int index, double analytic, double eps, DoubleSupplier objective) {
        float saved = x[index];
        x[index] = (float) (saved + eps);
        double plus = objective.getAsDouble();
        x[index] = (float) (saved - eps);
        double minus = objective.getAsDouble();
        x[index] = saved;
        double numeric = (plus - minus) / (2 * eps);
        double tolerance = 1e-3 + 2e-2 * Math.max(Math.abs(numeric), Math.abs(analytic));
        assertThat(Math.abs(numeric - analytic))
                .as("%s[%d]: analytic %s vs numeric %s", what, index, analytic, numeric)
                .isLessThanOrEqualTo(tolerance);
    }

    /**
     * Checks one layer alone on the objective {@code L = Σ out · r} for a random {@code r}, whose
     * gradient with respect to {@code out} is {@code r}. Inputs are kept at least {@code 0.1} away
     * from zero so that perturbations never cross the ReLU kink.
     */
    static void checkLayer(Layer layer, int batch, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        layer.ensureBatchCapacity(batch);
        float[] params = new float[layer.paramCount()];
        layer.initParams(params, 0, rng);
        for (int i = 0; i < params.length; i++) {
            params[i] += (float) (rng.nextDouble() - 0.5) * 0.2f;
        }
        float[] in = new float[batch * layer.inputSize()];
        for (int i = 0; i < in.length; i++) {
            double v = 0.1 + rng.nextDouble();
            in[i] = (float) (rng.nextBoolean() ? v : -v);
        }
        float[] r = new float[batch * layer.outputSize()];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        float[] out = new float[r.length];
        float[] grads = new float[params.length];
        float[] gradIn = new float[in.length];
        layer.forward(params, 0, in, out, batch, true);
        layer.backward(params, grads, 0, in, out, r, gradIn, batch);

        DoubleSupplier objective = () -> {
            float[] o = new float[r.length];
            layer.forward(params, 0, in, o, batch, true);
            double sum = 0;
            for (int i = 0; i < o.length; i++) {
                sum += (double) o[i] * r[i];
            }
            return sum;
        };
        for (int i = 0; i < params.length; i++) {
            assertMatches(layer.describe() + " param", params, i, grads[i], 1e-2, objective);
        }
        for (int i = 0; i < in.length; i++) {
            assertMatches(layer.describe() + " input", in, i, gradIn[i], 1e-2, objective);
        }
    }
}
