package io.starling.core.model;

import io.starling.core.model.nn.Dense;
import io.starling.core.model.nn.Layer;
import io.starling.core.model.nn.Relu;
import io.starling.core.model.nn.Sequential;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Builds models from spec strings such as {@code logreg}, {@code mlp} or {@code mlp:256,128}, the
 * form used on the command line, in configs and in task descriptors.
 *
 * <p>A spec is {@code name[:args]}; each name maps to a {@link Builder} that parses its own
 * arguments. {@link #builtIn()} knows:
 * <ul>
 *   <li>{@code logreg} — multinomial logistic regression (one dense layer, softmax);</li>
 *   <li>{@code mlp[:h1,h2,...]} — dense layers with ReLU between them; {@code mlp} alone means
 *       one hidden layer of {@value #DEFAULT_HIDDEN} units;</li>
 *   <li>{@code cnn-lenet5[:dropout]} — LeNet-5 for 28x28 images (see {@link LeNet5}).</li>
 * </ul>
 * A name the factory does not know is looked up among the {@link ModelProvider}s on the class
 * path by scheme, which receives the text after the colon: {@code djl:cnn-lenet5} goes to the
 * optional DJL/PyTorch engine (module {@code starling-djl}) when it is present. New
 * architectures are one more entry in {@link #builtIn()} or a {@link #with} call. Instances are
 * immutable.
 */
public final class ModelFactory {
    /** Hidden units of the single hidden layer of plain {@code mlp}. */
    public static final int DEFAULT_HIDDEN = 128;

    /** Builds one kind of model from the text after the colon (empty when there is none). */
    @FunctionalInterface
    public interface Builder {
        /**
         * @throws InvalidModelSpecException if {@code args} are malformed
         */
        Model build(String args, int inputDim, int numClasses, long seed);
    }

    private record Entry(String usage, Builder builder) {
    }

    private static final ModelFactory BUILT_IN = new ModelFactory(new LinkedHashMap<>())
            .with("logreg", "logreg", ModelFactory::buildLogreg)
            .with("mlp", "mlp[:h1,h2,...]", ModelFactory::buildMlp)
            .with("cnn-lenet5", "cnn-lenet5[:dropout]", LeNet5::build);

    /** The optional engine that {@code djl:} specs need; named in the error when it is absent. */
    static final String DJL_SCHEME = "djl";

    private final Map<String, Entry> entries;

    private ModelFactory(Map<String, Entry> entries) {
        this.entries = entries;
    }

    /** The factory with Starling's built-in models. */
    public static ModelFactory builtIn() {
        return BUILT_IN;
    }

    /** A factory that also knows {@code name}; {@code usage} documents its argument syntax. */
    public ModelFactory with(String name, String usage, Builder builder) {
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("model names are lower-case words, got '" + name + "'");
        }
        Map<String, Entry> copy = new LinkedHashMap<>(entries);
        copy.put(name, new Entry(usage, builder));
        return new ModelFactory(copy);
    }

    /**
     * Usage strings of the known models, e.g. {@code [logreg, mlp[:h1,h2,...], djl:<spec>]}, the
     * last ones from the {@link ModelProvider}s on the class path.
     */
    public List<String> known() {
        List<String> usages = new ArrayList<>(entries.values().stream().map(Entry::usage).toList());
        for (ModelProvider p : Providers.ALL) {
            usages.add(p.scheme() + ":<spec>");
        }
        return usages;
    }

    /**
     * Builds the model {@code spec} for examples of {@code inputDim} features and
     * {@code numClasses} classes, with initial parameters drawn from {@code seed}.
     *
     * @throws UnknownModelException if no model has that name
     * @throws InvalidModelSpecException if the arguments or dimensions are invalid
     */
    public Model create(String spec, int inputDim, int numClasses, long seed) {
        String trimmed = spec.strip();
        int colon = trimmed.indexOf(':');
        String name = (colon < 0 ? trimmed : trimmed.substring(0, colon)).toLowerCase(java.util.Locale.ROOT);
        String args = colon < 0 ? "" : trimmed.substring(colon + 1).strip();
        Entry entry = entries.get(name);
        if (entry == null) {
            Optional<ModelProvider> provider = Providers.ALL.stream().filter(p -> p.scheme().equals(name)).findFirst();
            if (provider.isPresent()) {
                if (args.isEmpty()) {
                    throw new InvalidModelSpecException(spec, "'" + name + ":' needs a model after the colon, e.g. "
                            + name + ":cnn-lenet5");
                }
                return provider.get().create(args, inputDim, numClasses, seed);
            }
            if (name.equals(DJL_SCHEME)) {
                throw new InvalidModelSpecException(spec, "the DJL/PyTorch engine is not on the class path; add "
                        + "the optional starling-djl module and its dependencies (see docs/models-cnn.md), or use the "
                        + "built-in engine by dropping the 'djl:' prefix");
            }
            throw new UnknownModelException(name, known());
        }
        if (colon >= 0 && args.isEmpty()) {
            throw new InvalidModelSpecException(spec, "nothing after ':'; drop the colon or give arguments");
        }
        if (inputDim < 1) {
            throw new InvalidModelSpecException(spec, "input dimension must be >= 1, got " + inputDim);
        }
        if (numClasses < 2) {
            throw new InvalidModelSpecException(spec, "number of classes must be >= 2, got " + numClasses);
        }
        return entry.builder().build(args, inputDim, numClasses, seed);
    }

    /** The {@link ModelProvider}s found on the class path when the factory was first used. */
    private static final class Providers {
        static final List<ModelProvider> ALL = ServiceLoader.load(ModelProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .toList();

        private Providers() {
        }
    }

    private static Model buildLogreg(String args, int inputDim, int numClasses, long seed) {
        if (!args.isEmpty()) {
            throw new InvalidModelSpecException("logreg:" + args, "logreg takes no arguments");
        }
        Sequential net = new Sequential(List.of(new Dense(inputDim, numClasses, Dense.Init.GLOROT)), seed);
        return new NeuralClassifier("logreg(" + inputDim + "," + numClasses + ")", net);
    }

    private static Model buildMlp(String args, int inputDim, int numClasses, long seed) {
        int[] hidden = args.isEmpty() ? new int[] {DEFAULT_HIDDEN} : parseHidden("mlp:" + args, args);
        checkSize("mlp:" + args, inputDim, hidden, numClasses);
        List<Layer> layers = new ArrayList<>();
        StringBuilder spec = new StringBuilder("mlp(").append(inputDim);
        int in = inputDim;
        for (int h : hidden) {
            layers.add(new Dense(in, h, Dense.Init.HE));
            layers.add(new Relu(h));
            spec.append(',').append(h);
            in = h;
        }
        layers.add(new Dense(in, numClasses, Dense.Init.GLOROT));
        spec.append(',').append(numClasses).append(')');
        return new NeuralClassifier(spec.toString(), new Sequential(layers, seed));
    }

    /** Largest hidden layer accepted; bigger is almost certainly a typo and would exhaust memory. */
    static final int MAX_HIDDEN = 1 << 16;

    private static int[] parseHidden(String spec, String args) {
        String[] parts = args.split(",", -1);
        int[] hidden = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].strip();
            try {
                hidden[i] = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new InvalidModelSpecException(spec,
                        "hidden layer sizes must be comma-separated integers, got '" + p + "'");
            }
            if (hidden[i] < 1 || hidden[i] > MAX_HIDDEN) {
                throw new InvalidModelSpecException(spec,
                        "hidden layer size must be in [1, " + MAX_HIDDEN + "], got " + hidden[i]);
            }
        }
        return hidden;
    }

    /** Refuses models over 2^30 parameters before allocating anything. */
    private static void checkSize(String spec, int inputDim, int[] hidden, int numClasses) {
        long total = 0;
        int in = inputDim;
        for (int h : hidden) {
            total += (long) in * h + h;
            in = h;
        }
        total += (long) in * numClasses + numClasses;
        if (total > 1L << 30) {
            throw new InvalidModelSpecException(spec, "the model would have " + total
                    + " parameters (limit 2^30); use smaller hidden layers");
        }
    }
}
