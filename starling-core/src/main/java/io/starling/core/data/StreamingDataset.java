package io.starling.core.data;

import java.util.Arrays;

/**
 * A dataset that grows while it is used: live sensor readings, or rows a {@link DataStream}
 * releases over simulated time. {@link #size()} is what has arrived so far, so a model trained on
 * it uses exactly that; the arrays keep spare capacity at their end, as the {@link Dataset}
 * contract allows, and grow by doubling (amortised O(1) per appended row).
 *
 * <p>Optional retention bounds memory on long streams: with {@code maxRows} set, the oldest rows
 * are discarded in batches, so after the first fill {@code size()} stays between {@code maxRows}
 * and {@code maxRows + maxRows / 4} (at least one row of slack), keeping the cost of discarding
 * amortised O(1) per row. Discarding renumbers the rows that remain, so index arrays taken earlier
 * (e.g. from a partitioner) must not be reused across appends.
 *
 * <p>Every appended row is checked (feature count, finiteness, label range) and rejected with
 * {@link InvalidExampleException} before anything is stored. Arrays returned by
 * {@link #features()} and {@link #labels()} are live: an append may replace them, and
 * rows below the {@code size()} read <em>before</em> fetching them stay valid. Not thread-safe:
 * confine an instance to one thread, or hand other threads a {@link #snapshot()}.
 */
public final class StreamingDataset implements Dataset {
    private static final int DEFAULT_CAPACITY = 64;

    private final int featureDim;
    private final int numClasses;
    private final int maxRows;
    private float[] features;
    private int[] labels;
    private int size;
    private long appended;

    /** An unbounded stream of examples with {@code featureDim} features and {@code numClasses} classes. */
    public StreamingDataset(int featureDim, int numClasses) {
        this(featureDim, numClasses, 0);
    }

    /**
     * @param maxRows retention bound (see class comment), or 0 to keep every row
     */
    public StreamingDataset(int featureDim, int numClasses, int maxRows) {
        if (featureDim <= 0) {
            throw new IllegalArgumentException("featureDim must be > 0, got " + featureDim);
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be >= 2, got " + numClasses);
        }
        if (maxRows < 0) {
            throw new IllegalArgumentException("maxRows must be >= 0 (0 = unbounded), got " + maxRows);
        }
        this.featureDim = featureDim;
        this.numClasses = numClasses;
        this.maxRows = maxRows;
        int capacity = maxRows > 0 ? Math.min(DEFAULT_CAPACITY, maxRows + slack(maxRows)) : DEFAULT_CAPACITY;
        this.features = new float[capacity * featureDim];
        this.labels = new int[capacity];
    }

    /**
     * Appends one example.
     *
     * @throws InvalidExampleException if {@code row} has the wrong length, a non-finite value, or
     *     {@code label} is not a class of this dataset; nothing is stored then
     */
    public void append(float[] row, int label) {
        if (row.length != featureDim) {
            throw new InvalidExampleException("example has " + row.length + " features, expected " + featureDim);
        }
        appendChecked(row, 0, label);
    }

    /** Appends a copy of row {@code row} of {@code source}, which must have this dataset's shape. */
    public void appendRow(Dataset source, int row) {
        if (source.featureDim() != featureDim) {
            throw new InvalidExampleException("example has " + source.featureDim() + " features, expected " + featureDim);
        }
        if (row < 0 || row >= source.size()) {
            throw new IndexOutOfBoundsException("row " + row + " of a dataset with " + source.size() + " rows");
        }
        appendChecked(source.features(), row * featureDim, source.labels()[row]);
    }

    /** Appends {@code featureDim} values of {@code src} starting at {@code offset}, after checking them. */
    void appendChecked(float[] src, int offset, int label) {
        if (label < 0 || label >= numClasses) {
            throw new InvalidExampleException("label " + label + " is outside [0, " + numClasses + ")");
        }
        for (int j = 0; j < featureDim; j++) {
            if (!Float.isFinite(src[offset + j])) {
                throw new InvalidExampleException("feature " + j + " is " + src[offset + j]
                        + "; NaN and infinities are not allowed");
            }
        }
        if (maxRows > 0 && size == maxRows + slack(maxRows)) {
            discardOldest(size - maxRows + 1);
        }
        if (size == labels.length) {
            grow();
        }
        System.arraycopy(src, offset, features, size * featureDim, featureDim);
        labels[size] = label;
        size++;
        appended++;
    }

    /**
     * Records that {@code count} rows arrived but are discarded unseen, as when a stream skips
     * ahead further than the retention bound keeps.
     */
    void countSkipped(long count) {
        appended += count;
    }

    private static int slack(int maxRows) {
        return Math.max(1, maxRows / 4);
    }

    private void discardOldest(int count) {
        int keep = size - count;
        System.arraycopy(features, count * featureDim, features, 0, keep * featureDim);
        System.arraycopy(labels, count, labels, 0, keep);
        size = keep;
    }

    private void grow() {
        long wanted = Math.max(DEFAULT_CAPACITY, (long) labels.length * 2);
        if (maxRows > 0) {
            wanted = Math.min(wanted, maxRows + slack(maxRows));
        }
        if (wanted * featureDim > Integer.MAX_VALUE - 16) {
            throw new InvalidExampleException("streaming dataset is full: " + size + " rows of " + featureDim
                    + " features fill the largest array; set a retention bound (maxRows)");
        }
        features = Arrays.copyOf(features, (int) wanted * featureDim);
        labels = Arrays.copyOf(labels, (int) wanted);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int featureDim() {
        return featureDim;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    /** Live backing array; longer than {@code size() * featureDim()} (spare capacity). */
    @Override
    public float[] features() {
        return features;
    }

    /** Live backing array; longer than {@code size()} (spare capacity). */
    @Override
    public int[] labels() {
        return labels;
    }

    /** Every example ever appended, including those discarded by retention. */
    public long totalAppended() {
        return appended;
    }

    /** The retention bound, or 0 when every row is kept. */
    public int maxRows() {
        return maxRows;
    }

    /**
     * The most recent {@code min(n, size())} examples as an independent, exactly-sized copy: the
     * "recent window" on which streaming settings report accuracy, since after concept drift the
     * fixed test split no longer describes the data a device sees.
     */
    public Dataset recentWindow(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("window size must be >= 0, got " + n);
        }
        int k = Math.min(n, size);
        int from = size - k;
        return new ArrayDataset(Arrays.copyOfRange(features, from * featureDim, size * featureDim),
                Arrays.copyOfRange(labels, from, size), featureDim, numClasses);
    }

    /** An independent, exactly-sized copy of everything held now. */
    public Dataset snapshot() {
        return recentWindow(size);
    }
}
