package io.starling.core.aggregate;

import io.starling.core.param.ParamVector;
import java.util.List;

/** The input validation every rule performs before touching any value. */
final class ContributionChecks {
    private ContributionChecks() {
    }

    /** Non-null, non-empty, every model the size of {@code global}; does not look at values. */
    static void requireShapes(String rule, ParamVector global, List<Contribution> contributions) {
        if (global == null) {
            throw new IllegalArgumentException(rule + ": global model must not be null");
        }
        if (contributions == null || contributions.isEmpty()) {
            throw new IllegalArgumentException(rule + ": needs at least one contribution, got none");
        }
        int dim = global.size();
        for (int i = 0; i < contributions.size(); i++) {
            Contribution c = contributions.get(i);
            if (c == null) {
                throw new IllegalArgumentException(rule + ": contribution " + i + " is null");
            }
            c.model().requireSize(rule + " contribution " + i, dim);
        }
    }

    /** {@link #requireShapes} plus finiteness of the global model and every contribution. */
    static void requireValid(String rule, ParamVector global, List<Contribution> contributions) {
        requireShapes(rule, global, contributions);
        global.requireFinite(rule + " global model");
        for (int i = 0; i < contributions.size(); i++) {
            contributions.get(i).model().requireFinite(rule + " contribution " + i);
        }
    }

    /** Every contribution as full weights over {@code global}, as raw arrays for the kernels. */
    static float[][] weights(ParamVector global, List<Contribution> contributions) {
        float[][] xs = new float[contributions.size()][];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = contributions.get(i).weightsOver(global).array();
        }
        return xs;
    }

    /** Every contribution as a delta from {@code global}, as raw arrays for the kernels. */
    static float[][] deltas(ParamVector global, List<Contribution> contributions) {
        float[][] xs = new float[contributions.size()][];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = contributions.get(i).deltaFrom(global).array();
        }
        return xs;
    }
}
