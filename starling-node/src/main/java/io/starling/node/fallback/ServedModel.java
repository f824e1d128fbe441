package io.starling.node.fallback;

import io.starling.core.param.ParamVector;
import java.util.Objects;

/**
 * The latest committed checkpoint as a serving leader holds it.
 *
 * @param version the checkpoint version
 * @param age the model's age (updates absorbed), as committed in the checkpoint's metrics
 * @param params the model
 */
public record ServedModel(long version, double age, ParamVector params) {
    public ServedModel {
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, got " + version);
        }
        if (!(age >= 0) || !Double.isFinite(age)) {
            throw new IllegalArgumentException("age must be finite and >= 0, got " + age);
        }
        Objects.requireNonNull(params, "params");
    }
}
