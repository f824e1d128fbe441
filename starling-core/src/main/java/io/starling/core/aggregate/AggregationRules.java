package io.starling.core.aggregate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds {@link AggregationRule}s from spec strings, the form used in configs and on the command
 * line: {@code name[:param,param...]}, where a parameter is {@code key=value} or, in parameter
 * order, a bare value. Examples:
 * <pre>
 *   fedavg
 *   fedasync:alpha=0.6,staleness=poly:0.5      (staleness: const | poly:a | hinge:a:b)
 *   fedbuff:k=10,lr=1.0[,staleness=poly:0.5]
 *   doubly-weighted:lambda=0.5
 *   median
 *   trimmed-mean:0.1                           (= trimmed-mean:beta=0.1)
 *   krum:f=2
 *   multi-krum:f=2,m=5
 *   centered-clipping:tau=10[,iters=1]
 *   norm-bounding:bound=5
 * </pre>
 * Every rule's {@link AggregationRule#spec()} parses back to an equal rule. Errors are
 * {@link AggregationSpecException}s naming the offending token.
 */
public final class AggregationRules {
    /** Rule names and their parameters in positional order. */
    private static final Map<String, List<String>> PARAMS = new LinkedHashMap<>();

    static {
        PARAMS.put(FedAvg.NAME, List.of());
        PARAMS.put(FedAsync.NAME, List.of("alpha", "staleness"));
        PARAMS.put(FedBuff.NAME, List.of("k", "lr", "staleness"));
        PARAMS.put(DoublyWeightedAveraging.NAME, List.of("lambda"));
        PARAMS.put(CoordinateMedian.NAME, List.of());
        PARAMS.put(TrimmedMean.NAME, List.of("beta"));
        PARAMS.put(Krum.NAME, List.of("f"));
        PARAMS.put(MultiKrum.NAME, List.of("f", "m"));
        PARAMS.put(CenteredClipping.NAME, List.of("tau", "iters"));
        PARAMS.put(NormBounding.NAME, List.of("bound"));
    }

    private AggregationRules() {
    }

    /** The rule names {@link #parse} accepts. */
    public static List<String> names() {
        return List.copyOf(PARAMS.keySet());
    }

    /**
     * Parses a rule spec.
     *
     * @throws AggregationSpecException if the name is unknown, a parameter is unknown, repeated,
     *     missing, not a number, or out of range
     */
    public static AggregationRule parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new AggregationSpecException(String.valueOf(spec), String.valueOf(spec),
                    "empty rule spec; use one of " + names());
        }
        String trimmed = spec.trim();
        int colon = trimmed.indexOf(':');
        String name = (colon < 0 ? trimmed : trimmed.substring(0, colon)).toLowerCase(Locale.ROOT);
        List<String> known = PARAMS.get(name);
        if (known == null) {
            throw new AggregationSpecException(spec, name, "unknown rule; use one of " + names());
        }
        Map<String, String> args = arguments(spec, name, known, colon < 0 ? "" : trimmed.substring(colon + 1));
        Args a = new Args(spec, args);
        try {
            return switch (name) {
                case FedAvg.NAME -> new FedAvg();
                case FedAsync.NAME -> new FedAsync(a.dbl("alpha", 0.6), a.staleness());
                case FedBuff.NAME -> new FedBuff(a.integer("k", 10), a.dbl("lr", 1.0), a.staleness());
                case DoublyWeightedAveraging.NAME -> new DoublyWeightedAveraging(a.dbl("lambda", 0.5));
                case CoordinateMedian.NAME -> new CoordinateMedian();
                case TrimmedMean.NAME -> new TrimmedMean(a.dbl("beta", null));
                case Krum.NAME -> new Krum(a.integer("f", null));
                case MultiKrum.NAME -> new MultiKrum(a.integer("f", null), a.integer("m", null));
                case CenteredClipping.NAME -> new CenteredClipping(a.dbl("tau", null), a.integer("iters", 1));
                case NormBounding.NAME -> new NormBounding(a.dbl("bound", null));
                default -> throw new IllegalStateException("rule " + name + " is listed but not built");
            };
        } catch (InvalidRuleParameterException e) {
            throw new AggregationSpecException(spec, a.token(e.parameter()), e.getMessage());
        }
    }

    private static Map<String, String> arguments(String spec, String name, List<String> known, String body) {
        Map<String, String> args = new LinkedHashMap<>();
        if (body.isBlank()) {
            return args;
        }
        String[] tokens = body.split(",", -1);
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i].trim();
            if (token.isEmpty()) {
                throw new AggregationSpecException(spec, tokens[i], "empty parameter");
            }
            int eq = token.indexOf('=');
            String key;
            String value;
            if (eq < 0) {
                if (i >= known.size()) {
                    throw new AggregationSpecException(spec, token, name + " takes "
                            + (known.isEmpty() ? "no parameters" : "parameters " + known));
                }
                key = known.get(i);
                value = token;
            } else {
                key = token.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                value = token.substring(eq + 1).trim();
                if (!known.contains(key)) {
                    throw new AggregationSpecException(spec, token, "unknown parameter '" + key + "' for " + name
                            + (known.isEmpty() ? " (it takes none)" : "; known: " + known));
                }
            }
            if (args.putIfAbsent(key, value) != null) {
                throw new AggregationSpecException(spec, token, "parameter '" + key + "' given twice");
            }
        }
        return args;
    }

    /** Typed access to parsed parameters, remembering the token being read for error messages. */
    private static final class Args {
        private final String spec;
        private final Map<String, String> values;
        private String lastToken;

        Args(String spec, Map<String, String> values) {
            this.spec = spec;
            this.values = values;
            this.lastToken = spec;
        }

        /** The spec token that set {@code key}, or the key itself when it was defaulted. */
        String token(String key) {
            String v = values.get(key);
            return v == null ? key : key + "=" + v;
        }

        private String raw(String key, boolean required) {
            String v = values.get(key);
            lastToken = token(key);
            if (v == null && required) {
                throw new AggregationSpecException(spec, key, "missing required parameter '" + key + "'");
            }
            return v;
        }

        double dbl(String key, Double fallback) {
            String v = raw(key, fallback == null);
            return v == null ? fallback : parseDouble(spec, lastToken, v);
        }

        int integer(String key, Integer fallback) {
            String v = raw(key, fallback == null);
            if (v == null) {
                return fallback;
            }
            long n = parseLong(spec, lastToken, v);
            if (n > Integer.MAX_VALUE || n < Integer.MIN_VALUE) {
                throw new AggregationSpecException(spec, lastToken, "out of int range");
            }
            return (int) n;
        }

        StalenessFunction staleness() {
            String v = raw("staleness", false);
            if (v == null) {
                return new StalenessFunction.Constant();
            }
            try {
                return StalenessFunction.parse(v);
            } catch (AggregationSpecException e) {
                throw new AggregationSpecException(spec, e.token(), e.reason());
            }
        }
    }

    static double parseDouble(String spec, String token) {
        return parseDouble(spec, token, token);
    }

    private static double parseDouble(String spec, String token, String value) {
        try {
            double d = Double.parseDouble(value.trim());
            if (!Double.isFinite(d)) {
                throw new AggregationSpecException(spec, token, "must be a finite number");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new AggregationSpecException(spec, token, "not a number");
        }
    }

    static long parseLong(String spec, String token) {
        return parseLong(spec, token, token);
    }

    private static long parseLong(String spec, String token, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new AggregationSpecException(spec, token, "not an integer");
        }
    }

    /** Shortest decimal form that parses back to {@code d}: {@code 1.0 -> "1"}, {@code 0.5 -> "0.5"}. */
    static String format(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }
}
