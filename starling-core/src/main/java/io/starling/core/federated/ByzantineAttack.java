package io.starling.core.federated;

import io.starling.core.param.ParamVector;
import java.util.SplittableRandom;

/**
 * What a Byzantine client sends in place of the model it honestly trained, so experiments can
 * show which aggregation rules survive which attacks. Each attack sees the global model, the
 * honest result and a seeded random stream.
 */
public sealed interface ByzantineAttack {
    /** The model the attacker submits instead of {@code honest}. */
    ParamVector corrupt(ParamVector global, ParamVector honest, SplittableRandom random);

    /** {@code global + N(0, stddev^2)} per parameter: a client sending garbage. */
    record GaussianNoise(double stddev) implements ByzantineAttack {
        public GaussianNoise {
            if (!(stddev > 0) || !Double.isFinite(stddev)) {
                throw new IllegalArgumentException("stddev must be > 0, got " + stddev);
            }
        }

        @Override
        public ParamVector corrupt(ParamVector global, ParamVector honest, SplittableRandom random) {
            float[] v = global.toArray();
            for (int j = 0; j < v.length; j++) {
                v[j] += (float) (stddev * random.nextGaussian());
            }
            return ParamVector.wrap(v);
        }
    }

    /** {@code global - scale * (honest - global)}: pushes the model against the descent direction. */
    record SignFlip(double scale) implements ByzantineAttack {
        public SignFlip {
            if (!(scale > 0) || !Double.isFinite(scale)) {
                throw new IllegalArgumentException("scale must be > 0, got " + scale);
            }
        }

        @Override
        public ParamVector corrupt(ParamVector global, ParamVector honest, SplittableRandom random) {
            return global.copy().axpyInPlace(-scale, honest.minus(global));
        }
    }

    /**
     * {@code global + factor * (honest - global)}: a boosted update, as in model-replacement
     * backdoors (Bagdasaryan et al. 2020), which norm bounding is designed to cap.
     */
    record Boost(double factor) implements ByzantineAttack {
        public Boost {
            if (!(factor > 0) || !Double.isFinite(factor)) {
                throw new IllegalArgumentException("factor must be > 0, got " + factor);
            }
        }

        @Override
        public ParamVector corrupt(ParamVector global, ParamVector honest, SplittableRandom random) {
            return global.copy().axpyInPlace(factor, honest.minus(global));
        }
    }
}
