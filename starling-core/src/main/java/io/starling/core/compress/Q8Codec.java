package io.starling.core.compress;

import io.starling.core.param.ParamVector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * 8-bit linear quantisation in blocks of {@value #BLOCK} values: each block stores its minimum and
 * step as float32, then one byte per value, {@code x ≈ min + q * step}. About a quarter of the
 * f32 size; the error per value is at most half a step, i.e. (block max - block min) / 510.
 */
public record Q8Codec() implements ModelCodec {
    /** Values per quantisation block. */
    public static final int BLOCK = 256;

    @Override
    public String name() {
        return "q8";
    }

    /** Encoded size of a model with {@code dimension} parameters, bytes. */
    public static long encodedBytes(int dimension) {
        long blocks = (dimension + BLOCK - 1) / BLOCK;
        return blocks * 8 + dimension;
    }

    @Override
    public byte[] encode(ParamVector vector) {
        float[] v = vector.array();
        ByteBuffer buf = ByteBuffer.allocate((int) encodedBytes(v.length)).order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < v.length; start += BLOCK) {
            int end = Math.min(v.length, start + BLOCK);
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = start; i < end; i++) {
                min = Math.min(min, v[i]);
                max = Math.max(max, v[i]);
            }
            float step = max > min ? max / 255f - min / 255f : 0f;
            buf.putFloat(min).putFloat(step);
            for (int i = start; i < end; i++) {
                int q = step == 0f ? 0 : Math.round((v[i] - min) / step);
                buf.put((byte) Math.max(0, Math.min(255, q)));
            }
        }
        return buf.array();
    }

    @Override
    public ParamVector decode(byte[] bytes, int dimension) {
        if (dimension < 0 || bytes.length != encodedBytes(dimension)) {
            throw new MalformedEncodingException("q8 model of " + dimension + " parameters must be "
                    + encodedBytes(Math.max(0, dimension)) + " bytes, got " + bytes.length);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[dimension];
        for (int start = 0; start < dimension; start += BLOCK) {
            int end = Math.min(dimension, start + BLOCK);
            float min = buf.getFloat();
            float step = buf.getFloat();
            if (!Float.isFinite(min) || !Float.isFinite(step) || step < 0) {
                throw new MalformedEncodingException("q8 block at parameter " + start + " has min " + min
                        + " and step " + step + "; both must be finite and the step >= 0");
            }
            for (int i = start; i < end; i++) {
                v[i] = min + (buf.get() & 0xff) * step;
            }
        }
        return ParamVector.wrap(v);
    }
}
