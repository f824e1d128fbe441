package io.starling.core.compress;

import io.starling.core.param.ParamVector;

/** Lossless: the canonical little-endian float32 encoding of {@link ParamVector#toBytes()}. */
public record F32Codec() implements ModelCodec {
    @Override
    public String name() {
        return "f32";
    }

    @Override
    public byte[] encode(ParamVector vector) {
        return vector.toBytes();
    }

    @Override
    public ParamVector decode(byte[] bytes, int dimension) {
        if (bytes.length != (long) dimension * Float.BYTES) {
            throw new MalformedEncodingException("f32 model of " + dimension + " parameters must be "
                    + (long) dimension * Float.BYTES + " bytes, got " + bytes.length);
        }
        return ParamVector.fromBytes(bytes);
    }
}
