package io.starling.sim.experiment;

import io.starling.core.data.ArrayDataset;
import io.starling.core.data.Dataset;
import io.starling.protocol.Rng;
import java.util.List;

/**
 * The devices' local data: every device holds only an index array into a dataset it may share
 * with others ({@link FederatedData.Shard}), so 100,000 devices cost one {@code int} per training
 * row on top of the data itself. A device's rows materialise as a small {@link Dataset} only while
 * it trains.
 *
 * <p>With streaming, device {@code d} holds {@code initial(d)} rows at time 0 and gains
 * {@code samplesPerS} rows per virtual second (in its shuffled shard order) until it has its whole
 * shard; rows arriving at or after {@code driftAtMs} (when > 0) carry their label shifted by
 * {@code labelShift} modulo the number of classes.
 */
public final class DeviceData {
    private final Dataset[] sources;
    private final int[][] shards;
    private final int featureDim;
    private final int numClasses;
    private final boolean streaming;
    private final double initialFraction;
    private final double samplesPerS;
    private final long driftAtMs;
    private final int labelShift;

    public DeviceData(List<FederatedData.Shard> shards, ExperimentConfig.Streaming streaming, Rng shuffleRng) {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("no devices");
        }
        this.sources = new Dataset[shards.size()];
        this.shards = new int[shards.size()][];
        this.featureDim = shards.get(0).source().featureDim();
        this.numClasses = shards.get(0).source().numClasses();
        for (int d = 0; d < shards.size(); d++) {
            sources[d] = shards.get(d).source();
            int[] s = shards.get(d).rows().clone();
            for (int i = s.length - 1; i > 0; i--) {
                int j = shuffleRng.nextInt(i + 1);
                int t = s[i];
                s[i] = s[j];
                s[j] = t;
            }
            this.shards[d] = s;
        }
        this.streaming = streaming.enabled();
        this.initialFraction = streaming.initialFraction();
        this.samplesPerS = streaming.samplesPerS();
        this.driftAtMs = streaming.enabled() && streaming.driftAtS() > 0 ? Math.round(streaming.driftAtS() * 1000) : 0;
        this.labelShift = streaming.labelShift();
    }

    public int deviceCount() {
        return shards.length;
    }

    public int shardSize(int device) {
        return shards[device].length;
    }

    public boolean streaming() {
        return streaming;
    }

    /** Rows device {@code device} holds at {@code nowMs}. */
    public int available(int device, long nowMs) {
        int n = shards[device].length;
        if (!streaming) {
            return n;
        }
        long initial = (long) Math.floor(initialFraction * n);
        long arrived = (long) Math.floor(samplesPerS * Math.max(0, nowMs) / 1000.0);
        return (int) Math.min(n, initial + arrived);
    }

    /** The device's data as it stands at {@code nowMs}, labels drifted where due. */
    public Dataset trainingSet(int device, long nowMs) {
        return rows(device, 0, available(device, nowMs));
    }

    /**
     * Rows that arrived in {@code (nowMs - windowMs, nowMs]} over all devices, at most
     * {@code maxRows} (taken device by device in order), or {@code null} if none arrived.
     */
    public Dataset recentWindow(long nowMs, long windowMs, int maxRows) {
        int total = 0;
        int[] from = new int[shards.length];
        int[] to = new int[shards.length];
        for (int d = 0; d < shards.length && total < maxRows; d++) {
            int hi = available(d, nowMs);
            int lo = Math.max(available(d, nowMs - windowMs), (int) Math.floor(initialFraction * shards[d].length));
            lo = Math.max(lo, hi - (maxRows - total));
            from[d] = lo;
            to[d] = hi;
            total += Math.max(0, hi - lo);
        }
        int dim = featureDim;
        float[] x = new float[total * dim];
        int[] y = new int[total];
        int r = 0;
        for (int d = 0; d < shards.length && r < total; d++) {
            for (int k = from[d]; k < to[d]; k++) {
                int row = shards[d][k];
                System.arraycopy(sources[d].features(), row * dim, x, r * dim, dim);
                y[r++] = label(d, k, row);
            }
        }
        return total == 0 ? null : new ArrayDataset(x, y, dim, numClasses);
    }

    private Dataset rows(int device, int from, int to) {
        int dim = featureDim;
        int n = Math.max(0, to - from);
        float[] x = new float[n * dim];
        int[] y = new int[n];
        int[] shard = shards[device];
        float[] src = sources[device].features();
        for (int k = 0; k < n; k++) {
            int row = shard[from + k];
            System.arraycopy(src, row * dim, x, k * dim, dim);
            y[k] = label(device, from + k, row);
        }
        return new ArrayDataset(x, y, dim, numClasses);
    }

    private int label(int device, int position, int row) {
        int y = sources[device].labels()[row];
        if (driftAtMs > 0 && arrivalMs(device, position) >= driftAtMs) {
            y = Math.floorMod(y + labelShift, numClasses);
        }
        return y;
    }

    /** When the row at {@code position} of the device's shard arrives. */
    long arrivalMs(int device, int position) {
        long initial = (long) Math.floor(initialFraction * shards[device].length);
        if (!streaming || position < initial) {
            return 0;
        }
        if (samplesPerS <= 0) {
            return Long.MAX_VALUE;
        }
        return (long) Math.ceil((position - initial + 1) * 1000.0 / samplesPerS);
    }
}
