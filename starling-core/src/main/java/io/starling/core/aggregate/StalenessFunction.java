package io.starling.core.aggregate;

/**
 * How much an asynchronous update is discounted for being {@code t - tau} versions stale (Xie et
 * al. 2019, "Asynchronous Federated Optimization", §5): the mixing weight becomes
 * {@code alpha * s(t - tau)}. Every function maps staleness 0 to 1 and never exceeds 1.
 */
public sealed interface StalenessFunction {
    /** The discount in {@code (0, 1]} for an update {@code staleness} versions old. */
    double weight(long staleness);

    /** Canonical spec: {@code const}, {@code poly:a} or {@code hinge:a:b}. */
    String spec();

    /** {@code s(t - tau) = 1}: ignore staleness. */
    record Constant() implements StalenessFunction {
        @Override
        public double weight(long staleness) {
            return 1.0;
        }

        @Override
        public String spec() {
            return "const";
        }
    }

    /** {@code s(t - tau) = (t - tau + 1)^(-a)}: smooth decay, {@code a > 0}. */
    record Polynomial(double a) implements StalenessFunction {
        public Polynomial {
            if (!(a > 0) || !Double.isFinite(a)) {
                throw new IllegalArgumentException("polynomial exponent a must be > 0, got " + a);
            }
        }

        @Override
        public double weight(long staleness) {
            return Math.pow(staleness + 1.0, -a);
        }

        @Override
        public String spec() {
            return "poly:" + AggregationRules.format(a);
        }
    }

    /**
     * {@code s(t - tau) = 1} if {@code t - tau <= b}, else {@code 1 / (a (t - tau - b) + 1)}: full
     * weight up to {@code b} versions, then hyperbolic decay with slope {@code a > 0}.
     */
    record Hinge(double a, long b) implements StalenessFunction {
        public Hinge {
            if (!(a > 0) || !Double.isFinite(a)) {
                throw new IllegalArgumentException("hinge slope a must be > 0, got " + a);
            }
            if (b < 0) {
                throw new IllegalArgumentException("hinge threshold b must be >= 0, got " + b);
            }
        }

        @Override
        public double weight(long staleness) {
            return staleness <= b ? 1.0 : 1.0 / (a * (staleness - b) + 1.0);
        }

        @Override
        public String spec() {
            return "hinge:" + AggregationRules.format(a) + ":" + b;
        }
    }

    /**
     * Parses {@code const} (or {@code constant}), {@code poly:a} or {@code hinge:a:b}.
     *
     * @throws AggregationSpecException naming the bad token
     */
    static StalenessFunction parse(String spec) {
        String[] parts = spec.trim().split(":", -1);
        try {
            switch (parts[0]) {
                case "const", "constant" -> {
                    if (parts.length != 1) {
                        throw new AggregationSpecException(spec, spec, "const takes no parameters");
                    }
                    return new Constant();
                }
                case "poly", "polynomial" -> {
                    if (parts.length != 2) {
                        throw new AggregationSpecException(spec, spec, "expected poly:a, e.g. poly:0.5");
                    }
                    return new Polynomial(AggregationRules.parseDouble(spec, parts[1]));
                }
                case "hinge" -> {
                    if (parts.length != 3) {
                        throw new AggregationSpecException(spec, spec, "expected hinge:a:b, e.g. hinge:10:4");
                    }
                    return new Hinge(AggregationRules.parseDouble(spec, parts[1]),
                            AggregationRules.parseLong(spec, parts[2]));
                }
                default -> throw new AggregationSpecException(spec, parts[0],
                        "unknown staleness function; use const, poly:a or hinge:a:b");
            }
        } catch (IllegalArgumentException e) {
            throw new AggregationSpecException(spec, spec, e.getMessage());
        }
    }
}
