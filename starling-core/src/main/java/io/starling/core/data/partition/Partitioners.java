package io.starling.core.data.partition;

import java.util.Locale;

/**
 * Builds partitioners from the spec strings used in configs and on the command line:
 * <ul>
 *   <li>{@code iid}: {@link IidPartitioner}</li>
 *   <li>{@code dirichlet:ALPHA}: {@link DirichletPartitioner}, e.g. {@code dirichlet:0.5}</li>
 *   <li>{@code shards:K}: {@link ShardPartitioner}, e.g. {@code shards:2}</li>
 *   <li>{@code quantity:EXPONENT}: power-law {@link QuantitySkewPartitioner}, e.g. {@code quantity:1.5}</li>
 *   <li>{@code quantity-dirichlet:BETA}: Dirichlet-size {@link QuantitySkewPartitioner}</li>
 * </ul>
 * Names are case-insensitive; surrounding spaces are ignored.
 */
public final class Partitioners {
    /** The accepted forms, for error messages and help texts. */
    public static final String FORMS = "iid, dirichlet:ALPHA, shards:K, quantity:EXPONENT, quantity-dirichlet:BETA";

    private Partitioners() {
    }

    /**
     * @throws PartitionSpecException naming the bad token when the spec is unknown or a parameter
     *     is missing, not a number, or out of range
     */
    public static Partitioner parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new PartitionSpecException(String.valueOf(spec), "", "empty partitioner spec");
        }
        String s = spec.strip();
        int colon = s.indexOf(':');
        String name = (colon < 0 ? s : s.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
        String arg = colon < 0 ? null : s.substring(colon + 1).strip();
        return switch (name) {
            case "iid" -> {
                if (arg != null) {
                    throw new PartitionSpecException(spec, arg, "iid takes no parameter");
                }
                yield new IidPartitioner();
            }
            case "dirichlet" -> new DirichletPartitioner(positive(spec, name, arg, "ALPHA"));
            case "shards" -> new ShardPartitioner(positiveInt(spec, name, arg));
            case "quantity" -> QuantitySkewPartitioner.powerLaw(positive(spec, name, arg, "EXPONENT"));
            case "quantity-dirichlet" -> QuantitySkewPartitioner.dirichlet(positive(spec, name, arg, "BETA"));
            default -> throw new PartitionSpecException(spec, name, "unknown partitioner '" + name + "'");
        };
    }

    private static double positive(String spec, String name, String arg, String what) {
        if (arg == null || arg.isEmpty()) {
            throw new PartitionSpecException(spec, name, name + " needs a parameter: " + name + ":" + what);
        }
        double v;
        try {
            v = Double.parseDouble(arg);
        } catch (NumberFormatException e) {
            throw new PartitionSpecException(spec, arg, what + " '" + arg + "' is not a number");
        }
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new PartitionSpecException(spec, arg, what + " must be a positive finite number, got " + arg);
        }
        return v;
    }

    private static int positiveInt(String spec, String name, String arg) {
        if (arg == null || arg.isEmpty()) {
            throw new PartitionSpecException(spec, name, name + " needs a parameter: shards:K");
        }
        int k;
        try {
            k = Integer.parseInt(arg);
        } catch (NumberFormatException e) {
            throw new PartitionSpecException(spec, arg, "K '" + arg + "' is not a whole number");
        }
        if (k < 1) {
            throw new PartitionSpecException(spec, arg, "K must be >= 1, got " + arg);
        }
        return k;
    }
}
