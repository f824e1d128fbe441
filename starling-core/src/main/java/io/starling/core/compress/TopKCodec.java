package io.starling.core.compress;

import io.starling.core.param.ParamVector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Top-k sparsification: keeps the {@code fraction} of entries with the largest magnitude and
 * drops the rest (they decode as 0). Meant for deltas (trained model minus its base), where most
 * entries are small. Layout, little-endian: int32 k, then k strictly increasing int32 indices,
 * then k float32 values.
 *
 * @param fraction share of entries kept, in (0, 1]
 */
public record TopKCodec(double fraction) implements ModelCodec {
    public TopKCodec {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("top-k fraction must be in (0, 1], got " + fraction);
        }
    }

    @Override
    public String name() {
        return "topk";
    }

    @Override
    public byte[] encode(ParamVector vector) {
        float[] v = vector.array();
        int k = v.length == 0 ? 0 : (int) Math.max(1, Math.min(v.length, Math.round(fraction * v.length)));
        int[] kept = largestMagnitudes(v, k);
        ByteBuffer buf = ByteBuffer.allocate(4 + 8 * k).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(k);
        for (int i : kept) {
            buf.putInt(i);
        }
        for (int i : kept) {
            buf.putFloat(v[i]);
        }
        return buf.array();
    }

    /** Indices of the {@code k} largest |v[i]|, ascending. */
    private static int[] largestMagnitudes(float[] v, int k) {
        if (k == v.length) {
            int[] all = new int[k];
            Arrays.setAll(all, i -> i);
            return all;
        }
        float[] mags = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            mags[i] = Math.abs(v[i]);
        }
        float[] sorted = mags.clone();
        Arrays.sort(sorted);
        float threshold = sorted[v.length - k];
        int[] kept = new int[k];
        int n = 0;
        for (int i = 0; i < v.length && n < k; i++) {
            if (mags[i] > threshold) {
                kept[n++] = i;
            }
        }
        for (int i = 0; i < v.length && n < k; i++) {
            if (mags[i] == threshold) {
                kept[n++] = i;
            }
        }
        Arrays.sort(kept);
        return kept;
    }

    @Override
    public ParamVector decode(byte[] bytes, int dimension) {
        if (bytes.length < 4) {
            throw new MalformedEncodingException("topk encoding needs at least 4 bytes, got " + bytes.length);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int k = buf.getInt();
        if (k < 0 || k > dimension || bytes.length != 4 + 8L * k) {
            throw new MalformedEncodingException("topk encoding declares " + k + " entries for a model of "
                    + dimension + " parameters in " + bytes.length + " bytes; need 0 <= k <= dimension and "
                    + "4 + 8k bytes");
        }
        int[] idx = new int[k];
        int prev = -1;
        for (int j = 0; j < k; j++) {
            idx[j] = buf.getInt();
            if (idx[j] <= prev || idx[j] >= dimension) {
                throw new MalformedEncodingException("topk index #" + j + " is " + idx[j]
                        + "; indices must be strictly increasing and below " + dimension);
            }
            prev = idx[j];
        }
        float[] v = new float[dimension];
        for (int j = 0; j < k; j++) {
            v[idx[j]] = buf.getFloat();
        }
        return ParamVector.wrap(v);
    }
}
