package io.starling.protocol.testkit;

import io.starling.core.aggregate.AggregationRule;
import io.starling.core.aggregate.Contribution;
import io.starling.core.param.ParamVector;
import java.util.List;

/**
 * Small reference aggregation rules for protocol tests, so the protocol tests do not depend on
 * the production rules' tuning. Each is the textbook formula in a few lines.
 */
public final class TestRules {
    private TestRules() {
    }

    /** FedAvg: sample-weighted mean of the contributed models. */
    public static AggregationRule fedAvg() {
        return rule("fedavg", (global, cs) -> {
            double total = cs.stream().mapToDouble(Contribution::samples).sum();
            ParamVector out = ParamVector.zeros(global.size());
            for (Contribution c : cs) {
                out.axpyInPlace(c.samples() / total, c.model());
            }
            return out;
        });
    }

    /** FedAsync with a constant staleness function: move {@code alpha} towards each contribution in turn. */
    public static AggregationRule fedAsync(double alpha) {
        return rule("fedasync", (global, cs) -> {
            ParamVector out = global.copy();
            for (Contribution c : cs) {
                out.lerpInPlace(alpha, c.model());
            }
            return out;
        });
    }

    /** FedBuff: global plus {@code serverLr} times the mean delta of the buffered contributions. */
    public static AggregationRule fedBuff(double serverLr) {
        return rule("fedbuff", (global, cs) -> {
            ParamVector delta = ParamVector.zeros(global.size());
            for (Contribution c : cs) {
                delta.axpyInPlace(1.0 / cs.size(), c.model().minus(global));
            }
            return global.plus(delta.scaleInPlace(serverLr));
        });
    }

    /**
     * Doubly weighted averaging: weight {@code lambda * age} for the SERVER contribution and
     * {@code (1 - lambda) * age} for the others; plain mean when every age is zero.
     */
    public static AggregationRule doublyWeighted(double lambda) {
        return rule("doubly-weighted", (global, cs) -> {
            double total = 0;
            for (Contribution c : cs) {
                total += weight(c, lambda);
            }
            ParamVector out = ParamVector.zeros(global.size());
            for (Contribution c : cs) {
                out.axpyInPlace(total > 0 ? weight(c, lambda) / total : 1.0 / cs.size(), c.model());
            }
            return out;
        });
    }

    private static double weight(Contribution c, double lambda) {
        return (c.origin() == Contribution.Origin.SERVER ? lambda : 1 - lambda) * c.age();
    }

    private interface Body {
        ParamVector apply(ParamVector global, List<Contribution> contributions);
    }

    private static AggregationRule rule(String name, Body body) {
        return new AggregationRule() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ParamVector aggregate(ParamVector global, List<Contribution> contributions) {
                if (contributions.isEmpty()) {
                    throw new IllegalArgumentException("no contributions");
                }
                return body.apply(global, contributions);
            }
        };
    }
}
