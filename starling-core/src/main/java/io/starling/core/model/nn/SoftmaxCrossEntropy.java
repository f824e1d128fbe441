package io.starling.core.model.nn;

/**
 * Softmax followed by cross-entropy against integer labels, fused because the gradient of the
 * pair with respect to the logits is simply {@code softmax - onehot}. Numerically stable: logits
 * are shifted by their row maximum before exponentiation.
 */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {
    }

    /**
     * Sum over the batch of {@code -log softmax(logits)[label]}, and, when {@code gradLogits} is
     * not null, writes the gradient of the <em>mean</em> loss, {@code (softmax - onehot) / batch}.
     *
     * @param labels labels of the batch, read from {@code labels[0 .. batch)}
     */
    public static double lossAndGradient(float[] logits, int[] labels, int batch, int classes,
                                         float[] gradLogits) {
        double total = 0;
        final float invBatch = 1f / batch;
        for (int b = 0; b < batch; b++) {
            final int row = b * classes;
            float max = logits[row];
            for (int c = 1; c < classes; c++) {
                max = Math.max(max, logits[row + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[row + c] - max);
            }
            final double logSum = Math.log(sum);
            final int y = labels[b];
            total += logSum - (logits[row + y] - max);
            if (gradLogits != null) {
                for (int c = 0; c < classes; c++) {
                    double p = Math.exp(logits[row + c] - max - logSum);
                    gradLogits[row + c] = (float) p * invBatch;
                }
                gradLogits[row + y] -= invBatch;
            }
        }
        return total;
    }

    /** Index of the largest logit of example {@code b} (the first one on ties). */
    public static int argmax(float[] logits, int b, int classes) {
        final int row = b * classes;
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (logits[row + c] > logits[row + best]) {
                best = c;
            }
        }
        return best;
    }
}
