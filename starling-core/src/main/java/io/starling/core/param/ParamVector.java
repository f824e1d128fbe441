package io.starling.core.param;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A model's parameters as one flat {@code float[]}: the unit that aggregation, compression,
 * masking, hashing and transfer all work on.
 *
 * <p>Pure operations ({@link #plus}, {@link #minus}, {@link #times}) return new vectors; the
 * {@code ...InPlace} operations mutate this vector and return it, so hot aggregation loops can
 * accumulate without allocating. Every binary operation checks dimensions and throws
 * {@link DimensionMismatchException}; {@link #requireFinite} rejects NaN and infinities with
 * {@link NonFiniteValueException}. Loops are plain indexed loops that the JIT vectorises.
 */
public final class ParamVector {
    private final float[] values;

    private ParamVector(float[] values) {
        this.values = values;
    }

    /** A vector of {@code size} zeros. */
    public static ParamVector zeros(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
        return new ParamVector(new float[size]);
    }

    /** A vector holding a copy of {@code values}. */
    public static ParamVector of(float... values) {
        return new ParamVector(values.clone());
    }

    /**
     * A vector backed by {@code values} without copying. The caller hands over the array and
     * must not touch it afterwards.
     */
    public static ParamVector wrap(float[] values) {
        return new ParamVector(values);
    }

    public int size() {
        return values.length;
    }

    public float get(int i) {
        return values[i];
    }

    public void set(int i, float v) {
        values[i] = v;
    }

    /** A copy of the values. */
    public float[] toArray() {
        return values.clone();
    }

    /**
     * The backing array, for hot loops in models and aggregation rules that must not copy.
     * Writing to it changes this vector.
     */
    public float[] array() {
        return values;
    }

    public ParamVector copy() {
        return new ParamVector(values.clone());
    }

    /** Throws {@link DimensionMismatchException} unless this vector has {@code expected} entries. */
    public ParamVector requireSize(String what, int expected) {
        if (values.length != expected) {
            throw new DimensionMismatchException(what, expected, values.length);
        }
        return this;
    }

    /** Throws {@link NonFiniteValueException} naming the first NaN or infinite entry. */
    public ParamVector requireFinite(String what) {
        int bad = firstNonFinite();
        if (bad >= 0) {
            throw new NonFiniteValueException(what, bad, values[bad]);
        }
        return this;
    }

    /** Index of the first NaN or infinite entry, or -1 when all are finite. */
    public int firstNonFinite() {
        float[] v = values;
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                return i;
            }
        }
        return -1;
    }

    public boolean isFinite() {
        return firstNonFinite() < 0;
    }

    private void checkSameSize(ParamVector other) {
        if (other.values.length != values.length) {
            throw new DimensionMismatchException("vector operand", values.length, other.values.length);
        }
    }

    /** {@code this += other}. */
    public ParamVector addInPlace(ParamVector other) {
        checkSameSize(other);
        float[] a = values;
        float[] b = other.values;
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return this;
    }

    /** {@code this -= other}. */
    public ParamVector subtractInPlace(ParamVector other) {
        checkSameSize(other);
        float[] a = values;
        float[] b = other.values;
        for (int i = 0; i < a.length; i++) {
            a[i] -= b[i];
        }
        return this;
    }

    /** {@code this *= alpha}. */
    public ParamVector scaleInPlace(double alpha) {
        float f = (float) alpha;
        float[] a = values;
        for (int i = 0; i < a.length; i++) {
            a[i] *= f;
        }
        return this;
    }

    /** {@code this += alpha * x} (BLAS axpy), the kernel of weighted averaging. */
    public ParamVector axpyInPlace(double alpha, ParamVector x) {
        checkSameSize(x);
        float f = (float) alpha;
        float[] a = values;
        float[] b = x.values;
        for (int i = 0; i < a.length; i++) {
            a[i] += f * b[i];
        }
        return this;
    }

    /** {@code this = (1 - t) * this + t * x}: moves this vector a fraction {@code t} towards x. */
    public ParamVector lerpInPlace(double t, ParamVector x) {
        checkSameSize(x);
        float ft = (float) t;
        float[] a = values;
        float[] b = x.values;
        for (int i = 0; i < a.length; i++) {
            a[i] += ft * (b[i] - a[i]);
        }
        return this;
    }

    public ParamVector plus(ParamVector other) {
        return copy().addInPlace(other);
    }

    public ParamVector minus(ParamVector other) {
        return copy().subtractInPlace(other);
    }

    public ParamVector times(double alpha) {
        return copy().scaleInPlace(alpha);
    }

    public double dot(ParamVector other) {
        checkSameSize(other);
        float[] a = values;
        float[] b = other.values;
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    /** Euclidean norm. */
    public double norm() {
        return Math.sqrt(dot(this));
    }

    /** Squared Euclidean distance to {@code other}. */
    public double squaredDistance(ParamVector other) {
        checkSameSize(other);
        float[] a = values;
        float[] b = other.values;
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }

    public double distance(ParamVector other) {
        return Math.sqrt(squaredDistance(other));
    }

    /** Little-endian IEEE-754 encoding: the canonical wire and disk form of a vector. */
    public byte[] toBytes() {
        ByteBuffer buf = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        return buf.array();
    }

    /** Decodes {@link #toBytes()}; the length must be a multiple of 4. */
    public static ParamVector fromBytes(byte[] bytes) {
        if (bytes.length % Float.BYTES != 0) {
            throw new IllegalArgumentException(
                    "encoded parameter vector has " + bytes.length + " bytes, not a multiple of 4");
        }
        float[] v = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return new ParamVector(v);
    }

    /** SHA-256 of {@link #toBytes()} in lower-case hex: the content address of this model. */
    public String digest() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(toBytes()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    /** Exact equality of every float (bitwise for NaN). */
    public boolean contentEquals(ParamVector other) {
        return Arrays.equals(values, other.values);
    }

    @Override
    public String toString() {
        int n = Math.min(values.length, 4);
        StringBuilder sb = new StringBuilder("ParamVector[size=").append(values.length).append(", ");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append(values[i]);
        }
        return sb.append(values.length > n ? ", ...]" : "]").toString();
    }
}
