package io.starling.core.model.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The convolutional layers composed in one network back-propagate the true gradient of the loss. */
class ConvNetworkGradientTest {
    @Test
    void smallCnnGradientMatchesFiniteDifferencesOfTheMeanLoss() {
        FeatureMapShape image = new FeatureMapShape(2, 8, 8);
        Conv2d conv1 = new Conv2d(image, 3, 3, 1, 1);
        MaxPool2d pool1 = new MaxPool2d(conv1.outputShape(), 2, 2);
        Conv2d conv2 = new Conv2d(pool1.outputShape(), 4, 3, 1, 0);
        MaxPool2d pool2 = new MaxPool2d(conv2.outputShape(), 2, 2);
        Sequential net = new Sequential(List.of(
                conv1, new Relu(conv1.outputSize()), pool1,
                conv2, new Relu(conv2.outputSize()), pool2,
                new Flatten(pool2.outputShape()),
                new Dense(pool2.outputSize(), 5, Dense.Init.HE), new Relu(5), new Dropout(5, 0.3),
                new Dense(5, 3, Dense.Init.GLOROT)), 17);
        int batch = 3;
        int[] labels = {0, 2, 1};
        SplittableRandom rng = new SplittableRandom(18);
        net.ensureCapacity(batch);
        float[] x = net.input();
        for (int i = 0; i < batch * image.size(); i++) {
            x[i] = (float) rng.nextGaussian();
        }
        net.reseed(5);
        net.forward(batch, true);
        net.backward(labels, batch);
        float[] analytic = net.grads().clone();
        float[] params = net.params();
        for (int i = 0; i < params.length; i++) {
            GradientCheck.assertMatches("param", params, i, analytic[i], 1e-3, () -> {
                net.reseed(5);
                float[] logits = net.forward(batch, true);
                return SoftmaxCrossEntropy.lossAndGradient(logits, labels, batch, 3, null) / batch;
            });
        }
    }
}
