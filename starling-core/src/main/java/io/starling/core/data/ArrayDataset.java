package io.starling.core.data;

/** An immutable in-memory {@link Dataset} over exactly-sized arrays, validated on construction. */
public final class ArrayDataset implements Dataset {
    private final float[] features;
    private final int[] labels;
    private final int featureDim;
    private final int numClasses;

    /**
     * @throws IllegalArgumentException if the arrays disagree in length, or a label lies outside
     *     {@code [0, numClasses)}
     */
    public ArrayDataset(float[] features, int[] labels, int featureDim, int numClasses) {
        if (featureDim <= 0) {
            throw new IllegalArgumentException("featureDim must be > 0, got " + featureDim);
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be >= 2, got " + numClasses);
        }
        if ((long) labels.length * featureDim != features.length) {
            throw new IllegalArgumentException("features hold " + features.length + " floats but "
                    + labels.length + " labels x " + featureDim + " features need "
                    + (long) labels.length * featureDim);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException(
                        "label " + labels[i] + " of row " + i + " is outside [0, " + numClasses + ")");
            }
        }
        this.features = features;
        this.labels = labels;
        this.featureDim = featureDim;
        this.numClasses = numClasses;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int featureDim() {
        return featureDim;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public float[] features() {
        return features;
    }

    @Override
    public int[] labels() {
        return labels;
    }
}
