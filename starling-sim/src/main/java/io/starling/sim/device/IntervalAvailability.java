package io.starling.sim.device;

import java.util.Arrays;

/**
 * Online during the half-open intervals {@code [startMs[i], endMs[i])}, optionally repeating
 * with a period: with {@code periodMs > 0} the device is online at {@code t} iff it is online at
 * {@code t mod periodMs} (FedScale's behaviour traces, diurnal cycles).
 *
 * <p>Memory is two {@code long[]} per device, shared nothing else, so 100,000 devices with a few
 * sessions a day stay small.
 */
public final class IntervalAvailability implements Availability {
    private final long[] startMs;
    private final long[] endMs;
    private final long periodMs;

    /**
     * @param startMs interval starts, strictly increasing
     * @param endMs interval ends, {@code startMs[i] < endMs[i] <= startMs[i+1]}
     * @param periodMs repeat period, or 0 for no repetition; when > 0 every end must be {@code <= periodMs}
     * @throws IllegalArgumentException if the intervals are unsorted, empty or overlap
     */
    public IntervalAvailability(long[] startMs, long[] endMs, long periodMs) {
        if (startMs.length != endMs.length) {
            throw new IllegalArgumentException("got " + startMs.length + " interval starts but "
                    + endMs.length + " ends");
        }
        if (periodMs < 0) {
            throw new IllegalArgumentException("periodMs must be >= 0, got " + periodMs);
        }
        for (int i = 0; i < startMs.length; i++) {
            if (startMs[i] < 0 || startMs[i] >= endMs[i]) {
                throw new IllegalArgumentException("interval " + i + " [" + startMs[i] + ", " + endMs[i]
                        + ") must satisfy 0 <= start < end");
            }
            if (i > 0 && startMs[i] < endMs[i - 1]) {
                throw new IllegalArgumentException("interval " + i + " starts at " + startMs[i]
                        + " before interval " + (i - 1) + " ends at " + endMs[i - 1] + "; sort and merge them");
            }
            if (periodMs > 0 && endMs[i] > periodMs) {
                throw new IllegalArgumentException("interval " + i + " ends at " + endMs[i]
                        + " after the period " + periodMs);
            }
        }
        int merged = 0;
        long[] s = new long[startMs.length];
        long[] e = new long[endMs.length];
        for (int i = 0; i < startMs.length; i++) {
            if (merged > 0 && e[merged - 1] == startMs[i]) {
                e[merged - 1] = endMs[i]; // touching intervals are one session
            } else {
                s[merged] = startMs[i];
                e[merged] = endMs[i];
                merged++;
            }
        }
        this.startMs = Arrays.copyOf(s, merged);
        this.endMs = Arrays.copyOf(e, merged);
        this.periodMs = periodMs;
    }

    /** Online in {@code [startMs, endMs)} only. */
    public static IntervalAvailability between(long startMs, long endMs) {
        return new IntervalAvailability(new long[] {startMs}, new long[] {endMs}, 0);
    }

    @Override
    public boolean isAvailable(long tMs) {
        long t = periodMs > 0 ? Math.floorMod(tMs, periodMs) : tMs;
        int i = Arrays.binarySearch(startMs, t);
        if (i >= 0) {
            return true;
        }
        int before = -i - 2;
        return before >= 0 && t < endMs[before];
    }

    @Override
    public long nextChangeAfter(long tMs) {
        if (startMs.length == 0) {
            return Long.MAX_VALUE;
        }
        if (periodMs == 0) {
            return boundaryAfter(tMs);
        }
        boolean wraps = startMs[0] == 0 && endMs[endMs.length - 1] == periodMs;
        if (wraps && startMs.length == 1) {
            return Long.MAX_VALUE; // online for the whole period, forever
        }
        long base = Math.floorDiv(tMs, periodMs) * periodMs;
        long next = boundaryAfter(tMs - base);
        if (next == Long.MAX_VALUE) {
            // Past the last boundary of this period: the next change is in the following one.
            return base + periodMs + (wraps ? endMs[0] : startMs[0]);
        }
        if (wraps && next == periodMs) {
            return base + periodMs + endMs[0]; // the last interval runs on into the next period
        }
        if (next == periodMs && startMs[0] > 0) {
            return base + periodMs; // goes offline exactly at the period boundary
        }
        return base + next;
    }

    private long boundaryAfter(long t) {
        int i = Arrays.binarySearch(startMs, t + 1);
        int idx = i >= 0 ? i : -i - 1; // first start > t (or == t + 1)
        int before = idx - 1;
        if (before >= 0 && endMs[before] > t) {
            return endMs[before];
        }
        return idx < startMs.length ? startMs[idx] : Long.MAX_VALUE;
    }

    /** Interval starts (a copy). */
    public long[] startsMs() {
        return startMs.clone();
    }

    /** Interval ends (a copy). */
    public long[] endsMs() {
        return endMs.clone();
    }

    /** Repeat period, or 0. */
    public long periodMs() {
        return periodMs;
    }

    /** Number of intervals per period (or in total). */
    public int intervalCount() {
        return startMs.length;
    }

    @Override
    public String toString() {
        return "IntervalAvailability{" + startMs.length + " intervals, periodMs=" + periodMs + "}";
    }
}
