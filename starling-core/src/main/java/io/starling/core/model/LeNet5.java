package io.starling.core.model;

import io.starling.core.model.nn.Conv2d;
import io.starling.core.model.nn.Dense;
import io.starling.core.model.nn.Dropout;
import io.starling.core.model.nn.FeatureMapShape;
import io.starling.core.model.nn.Flatten;
import io.starling.core.model.nn.Layer;
import io.starling.core.model.nn.MaxPool2d;
import io.starling.core.model.nn.Relu;
import io.starling.core.model.nn.Sequential;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code cnn-lenet5} model: LeNet-5 (LeCun et al. 1998) in its modern form, with ReLU and
 * max-pooling, for 28x28 single-channel images such as MNIST:
 *
 * <pre>
 * conv 5x5, 6 filters, padding 2  1x28x28 -> 6x28x28   156 params
 * ReLU, max-pool 2x2              6x28x28 -> 6x14x14
 * conv 5x5, 16 filters            6x14x14 -> 16x10x10  2,416 params
 * ReLU, max-pool 2x2              16x10x10 -> 16x5x5
 * flatten                         16x5x5 -> 400
 * dense 400 -> 120, ReLU [dropout]                     48,120 params
 * dense 120 -> 84, ReLU [dropout]                      10,164 params
 * dense 84 -> classes                                  850 params for 10 classes
 * </pre>
 *
 * Spec: {@code cnn-lenet5} or {@code cnn-lenet5:RATE} to add dropout with that rate after the two
 * hidden dense layers. The parameter layout is PyTorch's for the convolutions and the built-in
 * dense layout for the rest, the same as {@code djl:cnn-lenet5}, and the same seed gives both
 * engines the same initial parameters.
 */
public final class LeNet5 {
    /** The image shape this network reads. */
    public static final FeatureMapShape INPUT = new FeatureMapShape(1, 28, 28);

    private LeNet5() {
    }

    /** The network for {@code numClasses} classes with parameters drawn from {@code seed}. */
    public static Sequential network(int numClasses, double dropoutRate, long seed) {
        List<Layer> layers = new ArrayList<>();
        Conv2d conv1 = new Conv2d(INPUT, 6, 5, 1, 2);
        layers.add(conv1);
        layers.add(new Relu(conv1.outputSize()));
        MaxPool2d pool1 = new MaxPool2d(conv1.outputShape(), 2, 2);
        layers.add(pool1);
        Conv2d conv2 = new Conv2d(pool1.outputShape(), 16, 5, 1, 0);
        layers.add(conv2);
        layers.add(new Relu(conv2.outputSize()));
        MaxPool2d pool2 = new MaxPool2d(conv2.outputShape(), 2, 2);
        layers.add(pool2);
        layers.add(new Flatten(pool2.outputShape()));
        int in = pool2.outputSize();
        for (int units : new int[] {120, 84}) {
            layers.add(new Dense(in, units, Dense.Init.HE));
            layers.add(new Relu(units));
            if (dropoutRate > 0) {
                layers.add(new Dropout(units, dropoutRate));
            }
            in = units;
        }
        layers.add(new Dense(in, numClasses, Dense.Init.GLOROT));
        return new Sequential(layers, seed);
    }

    /** {@link ModelFactory.Builder} for {@code cnn-lenet5[:dropout]}. */
    static Model build(String args, int inputDim, int numClasses, long seed) {
        String spec = args.isEmpty() ? "cnn-lenet5" : "cnn-lenet5:" + args;
        double rate = 0;
        if (!args.isEmpty()) {
            try {
                rate = Double.parseDouble(args);
            } catch (NumberFormatException e) {
                throw new InvalidModelSpecException(spec, "the argument is a dropout rate such as 0.25, got '"
                        + args + "'");
            }
            if (!(rate >= 0 && rate < 1)) {
                throw new InvalidModelSpecException(spec, "dropout rate must be in [0, 1), got " + args);
            }
        }
        if (inputDim != INPUT.size()) {
            throw new InvalidModelSpecException(spec, "LeNet-5 reads 28x28 single-channel images (784 features), "
                    + "but the data has " + inputDim + " features per example");
        }
        return new NeuralClassifier(spec, network(numClasses, rate, seed));
    }
}
