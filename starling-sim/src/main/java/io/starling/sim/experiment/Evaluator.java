package io.starling.sim.experiment;

import io.starling.core.data.Dataset;
import io.starling.core.model.Metrics;
import io.starling.core.model.Model;
import io.starling.core.param.ParamVector;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Evaluates parameter vectors with one scratch model, remembering results by vector identity so a
 * model that did not change between reports (e.g. sync FL stalled in an outage) is not evaluated
 * again.
 */
final class Evaluator {
    private final Model scratch;
    private Map<ParamVector, Metrics> previous = new IdentityHashMap<>();
    private Map<ParamVector, Metrics> current = new IdentityHashMap<>();

    Evaluator(Model scratch) {
        this.scratch = scratch;
    }

    Metrics testMetrics(ParamVector params, Dataset test) {
        Metrics m = current.get(params);
        if (m == null) {
            m = previous.get(params);
            if (m == null) {
                m = evaluate(params, test);
            }
            current.put(params, m);
        }
        return m;
    }

    Metrics evaluate(ParamVector params, Dataset data) {
        scratch.setParams(params);
        return scratch.evaluate(data);
    }

    /** Forgets results not used since the previous call. */
    void endReport() {
        previous = current;
        current = new IdentityHashMap<>();
    }
}
