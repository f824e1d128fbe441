package io.starling.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Releases the rows of a backing dataset into a {@link StreamingDataset} at a fixed rate, as a
 * sensor would deliver them, optionally changing them by {@link ConceptDrift}s from given times.
 *
 * <p>Pure and deterministic: there is no clock. The caller passes the current time to
 * {@link #advanceTo(long)}, so the simulator (virtual time) and the node (wall time) drive the
 * same code. Row k (0-based) of the stream arrives at {@code startMs + (k + 1) * 1000 / rowsPerSecond}
 * ms; it is backing row {@code k} (or {@code k mod size} when cycling), changed by every drift
 * whose time is at or before its arrival, in the order of their times.
 */
public final class DataStream {
    private final Dataset source;
    private final double rowsPerSecond;
    private final long startMs;
    private final boolean cycle;
    private final List<ConceptDrift> drifts;
    private final StreamingDataset arrived;
    private final float[] rowBuffer;
    private long released;
    private long lastNowMs = Long.MIN_VALUE;

    /**
     * @param source rows to release, in order
     * @param rowsPerSecond release rate, > 0
     * @param startMs stream time of the start; no row arrives before it
     * @param cycle whether to start again from the first row when the source is used up (else the
     *     stream stops)
     * @param drifts changes applied from their times on
     * @param maxRows retention bound of the arrived rows (see {@link StreamingDataset}), 0 for none
     */
    public DataStream(Dataset source, double rowsPerSecond, long startMs, boolean cycle,
                      List<ConceptDrift> drifts, int maxRows) {
        if (!(rowsPerSecond > 0) || !Double.isFinite(rowsPerSecond)) {
            throw new IllegalArgumentException("rowsPerSecond must be a positive number, got " + rowsPerSecond);
        }
        if (source.size() == 0) {
            throw new IllegalArgumentException("source dataset is empty; nothing to stream");
        }
        this.source = source;
        this.rowsPerSecond = rowsPerSecond;
        this.startMs = startMs;
        this.cycle = cycle;
        List<ConceptDrift> sorted = new ArrayList<>(drifts);
        sorted.sort(Comparator.comparingLong(ConceptDrift::atMs));
        this.drifts = List.copyOf(sorted);
        this.arrived = new StreamingDataset(source.featureDim(), source.numClasses(), maxRows);
        this.rowBuffer = new float[source.featureDim()];
    }

    /** A stream of {@code source} from time 0, no drift, stopping at its end, keeping every row. */
    public static DataStream of(Dataset source, double rowsPerSecond) {
        return new DataStream(source, rowsPerSecond, 0, false, List.of(), 0);
    }

    /** The rows that have arrived so far; train on this. */
    public StreamingDataset arrived() {
        return arrived;
    }

    /** Rows released by time {@code nowMs}, a pure function of the time. */
    public long releasedBy(long nowMs) {
        if (nowMs <= startMs) {
            return 0;
        }
        long due = dueIgnoringEnd(nowMs);
        return cycle ? due : Math.min(due, source.size());
    }

    private long dueIgnoringEnd(long nowMs) {
        return nowMs <= startMs ? 0 : (long) Math.floor((double) (nowMs - startMs) * rowsPerSecond / 1000.0);
    }

    /**
     * Stream time at which row {@code k} (0-based) arrives: the first millisecond at which
     * {@link #releasedBy} counts it (for rows past the end of a non-cycling source, when it would
     * have arrived).
     */
    public long arrivalTimeMs(long k) {
        long t = startMs + (long) Math.ceil((k + 1) * 1000.0 / rowsPerSecond);
        while (dueIgnoringEnd(t) < k + 1) {
            t++;
        }
        while (t - 1 > startMs && dueIgnoringEnd(t - 1) >= k + 1) {
            t--;
        }
        return t;
    }

    /** Whether a non-cycling stream has released every row of its source. */
    public boolean exhausted() {
        return !cycle && released >= source.size();
    }

    /**
     * Appends every row due by {@code nowMs} to {@link #arrived()}.
     *
     * @return how many rows arrived since the previous call
     * @throws IllegalArgumentException if {@code nowMs} is earlier than a previous call's time
     */
    public long advanceTo(long nowMs) {
        if (nowMs < lastNowMs) {
            throw new IllegalArgumentException("time went backwards: " + nowMs + " ms after " + lastNowMs + " ms");
        }
        lastNowMs = nowMs;
        long due = releasedBy(nowMs);
        long fresh = due - released;
        if (fresh <= 0) {
            return 0;
        }
        long first = released;
        if (arrived.maxRows() > 0 && fresh > arrived.maxRows()) {
            long skip = fresh - arrived.maxRows();
            arrived.countSkipped(skip);
            first += skip;
        }
        for (long k = first; k < due; k++) {
            releaseRow(k);
        }
        released = due;
        return fresh;
    }

    private void releaseRow(long k) {
        int row = (int) (k % source.size());
        int dim = source.featureDim();
        System.arraycopy(source.features(), row * dim, rowBuffer, 0, dim);
        int label = source.labels()[row];
        long at = arrivalTimeMs(k);
        for (ConceptDrift d : drifts) {
            if (d.atMs() > at) {
                break;
            }
            label = d.mapLabel(label);
            d.shiftFeatures(rowBuffer, 0, dim);
        }
        arrived.append(rowBuffer, label);
    }

    /**
     * A copy of {@code data} as the concept stands at {@code nowMs}: every drift due by then
     * applied. Evaluate on {@code conceptAt(now, test)} to score a model against the data the
     * device sees now rather than the data it started with.
     */
    public Dataset conceptAt(long nowMs, Dataset data) {
        int dim = data.featureDim();
        int n = data.size();
        float[] x = Arrays.copyOf(data.features(), n * dim);
        int[] y = Arrays.copyOf(data.labels(), n);
        for (ConceptDrift d : drifts) {
            if (d.atMs() > nowMs) {
                break;
            }
            for (int i = 0; i < n; i++) {
                y[i] = d.mapLabel(y[i]);
                d.shiftFeatures(x, i * dim, dim);
            }
        }
        return new ArrayDataset(x, y, dim, data.numClasses());
    }
}
