package io.starling.core.data;

/**
 * Labelled examples for classification, stored row-major in one flat {@code float[]} so models
 * read them without per-sample objects.
 *
 * <p>Row {@code i} occupies {@code features()[i * featureDim() .. (i + 1) * featureDim())}; only
 * the first {@link #size()} rows (and labels) are valid, so growable datasets may keep spare
 * capacity at the end of the arrays. Labels are class indices in {@code [0, numClasses())}.
 */
public interface Dataset {
    /** Number of examples. */
    int size();

    /** Number of features per example. */
    int featureDim();

    /** Number of classes; labels lie in {@code [0, numClasses)}. */
    int numClasses();

    /** Row-major features; do not modify. May be longer than {@code size() * featureDim()}. */
    float[] features();

    /** Labels; do not modify. May be longer than {@code size()}. */
    int[] labels();

    /** A new dataset holding copies of the rows at {@code indices}, in that order. */
    default Dataset subset(int[] indices) {
        int d = featureDim();
        float[] x = new float[indices.length * d];
        int[] y = new int[indices.length];
        float[] src = features();
        int[] lab = labels();
        for (int r = 0; r < indices.length; r++) {
            int i = indices[r];
            if (i < 0 || i >= size()) {
                throw new IndexOutOfBoundsException("row " + i + " of a dataset with " + size() + " rows");
            }
            System.arraycopy(src, i * d, x, r * d, d);
            y[r] = lab[i];
        }
        return new ArrayDataset(x, y, d, numClasses());
    }

    /** How many examples of each class this dataset holds. */
    default int[] classHistogram() {
        int[] h = new int[numClasses()];
        int[] lab = labels();
        for (int i = 0; i < size(); i++) {
            h[lab[i]]++;
        }
        return h;
    }
}
