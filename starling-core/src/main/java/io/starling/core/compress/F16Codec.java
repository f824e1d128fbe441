package io.starling.core.compress;

import io.starling.core.param.ParamVector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * IEEE-754 half precision, little-endian: half the bytes, about 3 significant decimal digits.
 * Values beyond ±65504 become infinite and are then rejected by the receiver's finiteness check.
 */
public record F16Codec() implements ModelCodec {
    @Override
    public String name() {
        return "f16";
    }

    @Override
    public byte[] encode(ParamVector vector) {
        float[] v = vector.array();
        ByteBuffer buf = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            buf.putShort(Float.floatToFloat16(x));
        }
        return buf.array();
    }

    @Override
    public ParamVector decode(byte[] bytes, int dimension) {
        if (bytes.length != (long) dimension * 2) {
            throw new MalformedEncodingException("f16 model of " + dimension + " parameters must be "
                    + (long) dimension * 2 + " bytes, got " + bytes.length);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = Float.float16ToFloat(buf.getShort());
        }
        return ParamVector.wrap(v);
    }
}
