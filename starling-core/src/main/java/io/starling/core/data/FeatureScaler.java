package io.starling.core.data;

import java.util.Arrays;

/**
 * A per-column affine rescaling {@code x' = (x - offset) * factor}, fitted on training data and
 * then applied unchanged to test data (and to data arriving later on a device), so that no
 * statistic of the test set leaks into training.
 */
public final class FeatureScaler {
    private final CsvOptions.Scaling scaling;
    private final float[] offset;
    private final float[] factor;

    private FeatureScaler(CsvOptions.Scaling scaling, float[] offset, float[] factor) {
        this.scaling = scaling;
        this.offset = offset;
        this.factor = factor;
    }

    /**
     * Fits {@code scaling} to the columns of {@code train}. A column with no spread (max = min, or
     * zero variance) maps to 0.
     */
    public static FeatureScaler fit(Dataset train, CsvOptions.Scaling scaling) {
        int d = train.featureDim();
        int n = train.size();
        float[] x = train.features();
        float[] offset = new float[d];
        float[] factor = new float[d];
        switch (scaling) {
            case NONE -> Arrays.fill(factor, 1f);
            case MIN_MAX -> {
                for (int j = 0; j < d; j++) {
                    float min = Float.POSITIVE_INFINITY;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int i = 0; i < n; i++) {
                        float v = x[i * d + j];
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                    offset[j] = n == 0 ? 0 : min;
                    factor[j] = max > min ? (float) (1.0 / ((double) max - min)) : 0f;
                }
            }
            case STANDARDIZE -> {
                for (int j = 0; j < d; j++) {
                    double sum = 0;
                    for (int i = 0; i < n; i++) {
                        sum += x[i * d + j];
                    }
                    double mean = n == 0 ? 0 : sum / n;
                    double sq = 0;
                    for (int i = 0; i < n; i++) {
                        double dev = x[i * d + j] - mean;
                        sq += dev * dev;
                    }
                    double std = n == 0 ? 0 : Math.sqrt(sq / n);
                    offset[j] = (float) mean;
                    factor[j] = std > 0 ? (float) (1.0 / std) : 0f;
                }
            }
        }
        return new FeatureScaler(scaling, offset, factor);
    }

    public CsvOptions.Scaling scaling() {
        return scaling;
    }

    /** A new dataset with rescaled features and the same labels; {@code data} is not changed. */
    public Dataset apply(Dataset data) {
        if (data.featureDim() != offset.length) {
            throw new IllegalArgumentException("scaler was fitted on " + offset.length
                    + " features but the data has " + data.featureDim());
        }
        int d = offset.length;
        int n = data.size();
        float[] src = data.features();
        float[] out = new float[n * d];
        for (int i = 0; i < n; i++) {
            int row = i * d;
            for (int j = 0; j < d; j++) {
                out[row + j] = (src[row + j] - offset[j]) * factor[j];
            }
        }
        return new ArrayDataset(out, Arrays.copyOf(data.labels(), n), d, data.numClasses());
    }

    /** Rescales one row in place, e.g. a sensor reading before it is appended to a stream. */
    public void applyInPlace(float[] row) {
        if (row.length != offset.length) {
            throw new IllegalArgumentException("scaler was fitted on " + offset.length
                    + " features but the row has " + row.length);
        }
        for (int j = 0; j < row.length; j++) {
            row[j] = (row[j] - offset[j]) * factor[j];
        }
    }
}
