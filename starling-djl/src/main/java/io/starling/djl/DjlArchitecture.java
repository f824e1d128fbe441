package io.starling.djl;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.List;

/**
 * The networks the DJL engine builds, by spec name, with the same architectures (and the same
 * parameter count and order) as the built-in engine's models of that name:
 *
 * <ul>
 *   <li>{@code logreg}: one linear layer.
 *   <li>{@code mlp} or {@code mlp:H1,H2,...}: linear layers with ReLU between them (default one
 *       hidden layer of 128).
 *   <li>{@code cnn-lenet5}: LeNet-5 with ReLU and max-pooling for 28x28 grey images:
 *       conv 5x5x6 (padding 2) - ReLU - maxpool 2 - conv 5x5x16 - ReLU - maxpool 2 - flatten
 *       (400) - linear 120 - ReLU - linear 84 - ReLU - linear classes; {@code cnn-lenet5:RATE} adds
 *       dropout with that rate after the two hidden ReLUs, as the built-in engine does.
 * </ul>
 *
 * @param spec the canonical spec, e.g. {@code cnn-lenet5}
 * @param exampleShape shape of one example as the network reads it, e.g. (1, 28, 28)
 * @param numClasses outputs of the last layer
 * @param hiddenUnits widths of the fully connected layers followed by ReLU, before the output layer
 * @param dropoutRate dropout after each hidden ReLU of {@code cnn-lenet5:RATE}; 0 for none
 */
record DjlArchitecture(String spec, Shape exampleShape, int numClasses, List<Integer> hiddenUnits,
                       double dropoutRate) {
    /** Default hidden width of {@code mlp} without parameters. */
    static final int DEFAULT_MLP_HIDDEN = 128;
    private static final int MAX_HIDDEN_UNITS = 1 << 16;

    /**
     * Parses a spec for examples of {@code inputDim} features.
     *
     * @throws UnknownDjlSpecException if the name is unknown, parameters are malformed, or the
     *     input does not fit the network
     */
    static DjlArchitecture parse(String spec, int inputDim, int numClasses) {
        if (inputDim < 1 || numClasses < 2) {
            throw new UnknownDjlSpecException("djl:" + spec + " needs inputDim >= 1 and numClasses >= 2, got "
                    + inputDim + " and " + numClasses);
        }
        String s = spec.strip();
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon);
        String args = colon < 0 ? "" : s.substring(colon + 1);
        return switch (name) {
            case "logreg" -> {
                requireNoArgs(name, args);
                yield new DjlArchitecture("logreg", new Shape(inputDim), numClasses, List.of(), 0);
            }
            case "mlp" -> {
                List<Integer> hidden = args.isEmpty() ? List.of(DEFAULT_MLP_HIDDEN) : parseWidths(args);
                yield new DjlArchitecture("mlp:" + join(hidden), new Shape(inputDim), numClasses, hidden, 0);
            }
            case "cnn-lenet5" -> {
                double rate = args.isEmpty() ? 0 : parseRate(args);
                if (inputDim != 28 * 28) {
                    throw new UnknownDjlSpecException("djl:cnn-lenet5 reads 28x28 single-channel images (784 "
                            + "features) but the data has " + inputDim + " features per example");
                }
                yield new DjlArchitecture(args.isEmpty() ? "cnn-lenet5" : "cnn-lenet5:" + args, new Shape(1, 28, 28),
                        numClasses, List.of(120, 84), rate);
            }
            default -> throw new UnknownDjlSpecException("unknown DJL model '" + name
                    + "'; the DJL engine builds logreg, mlp[:H1,H2,...] and cnn-lenet5");
        };
    }

    boolean isConvolutional() {
        return spec.startsWith("cnn-");
    }

    /** Features per example. */
    int inputDim() {
        return Math.toIntExact(exampleShape.size());
    }

    /** A fresh, uninitialised block for this architecture. */
    Block newBlock() {
        SequentialBlock net = new SequentialBlock();
        if (isConvolutional()) {
            net.add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(6).optPadding(new Shape(2, 2)).build())
                    .add(Activation.reluBlock())
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                    .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(16).build())
                    .add(Activation.reluBlock())
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                    .add(Blocks.batchFlattenBlock());
        }
        for (int units : hiddenUnits) {
            net.add(Linear.builder().setUnits(units).build()).add(Activation.reluBlock());
            if (dropoutRate > 0) {
                net.add(Dropout.builder().optRate((float) dropoutRate).build());
            }
        }
        net.add(Linear.builder().setUnits(numClasses).build());
        return net;
    }

    private static void requireNoArgs(String name, String args) {
        if (!args.isEmpty()) {
            throw new UnknownDjlSpecException("djl:" + name + " takes no parameters, got '" + args + "'");
        }
    }

    private static double parseRate(String args) {
        String problem = "djl:cnn-lenet5 takes a dropout rate in [0, 1) such as 0.25, got '" + args + "'";
        double rate;
        try {
            rate = Double.parseDouble(args);
        } catch (NumberFormatException e) {
            throw new UnknownDjlSpecException(problem);
        }
        if (!(rate >= 0 && rate < 1)) {
            throw new UnknownDjlSpecException(problem);
        }
        return rate;
    }

    private static List<Integer> parseWidths(String args) {
        List<Integer> widths = new ArrayList<>();
        for (String part : args.split(",", -1)) {
            try {
                int w = Integer.parseInt(part.strip());
                if (w < 1 || w > MAX_HIDDEN_UNITS) {
                    throw new UnknownDjlSpecException("djl:mlp hidden width must be in [1, " + MAX_HIDDEN_UNITS
                            + "], got " + w);
                }
                widths.add(w);
            } catch (NumberFormatException e) {
                throw new UnknownDjlSpecException("djl:mlp takes comma-separated hidden widths such as "
                        + "mlp:256,128, got '" + args + "'");
            }
        }
        return List.copyOf(widths);
    }

    private static String join(List<Integer> widths) {
        StringBuilder sb = new StringBuilder();
        for (int w : widths) {
            sb.append(sb.isEmpty() ? "" : ",").append(w);
        }
        return sb.toString();
    }
}
