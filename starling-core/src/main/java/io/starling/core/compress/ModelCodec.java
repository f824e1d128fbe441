package io.starling.core.compress;

import io.starling.core.param.ParamVector;

/**
 * Turns a parameter vector into bytes for transfer and back. Lossy codecs (fp16, 8-bit
 * quantisation, top-k sparsification) cut the bytes a model costs on the wire; which one a task
 * uses is part of its spec, so sender and receiver agree.
 *
 * <p>{@link #decode} takes untrusted bytes: it checks every length, index and value and throws
 * {@link MalformedEncodingException} saying what is wrong, never an arbitrary runtime error.
 */
public sealed interface ModelCodec permits F32Codec, F16Codec, Q8Codec, TopKCodec {
    /** Name carried on the wire ({@code f32}, {@code f16}, {@code q8}, {@code topk}). */
    String name();

    byte[] encode(ParamVector vector);

    /**
     * Decodes {@code bytes} into a vector of exactly {@code dimension} entries.
     *
     * @throws MalformedEncodingException when the bytes are not a valid encoding of that size
     */
    ParamVector decode(byte[] bytes, int dimension);
}
