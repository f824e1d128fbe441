package io.starling.core.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.core.param.ParamVector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ModelCodecTest {
    private static float[] toArray(java.util.List<Float> list) {
        float[] a = new float[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i);
        }
        return a;
    }

    private static ParamVector vec(float[] v) {
        return ParamVector.of(v);
    }

    @Property(tries = 200)
    void f32RoundTripsExactly(@ForAll @Size(max = 600) float[] values) {
        ParamVector v = vec(values);
        F32Codec c = new F32Codec();
        assertThat(c.decode(c.encode(v), values.length).contentEquals(v)).isTrue();
    }

    @Property(tries = 200)
    void f16KeepsThreeSignificantDigits(@ForAll @Size(max = 600) java.util.List<@FloatRange(min = -60000, max = 60000) Float> list) {
        float[] values = toArray(list);
        F16Codec c = new F16Codec();
        ParamVector out = c.decode(c.encode(vec(values)), values.length);
        for (int i = 0; i < values.length; i++) {
            assertThat(out.get(i)).isCloseTo(values[i], org.assertj.core.data.Offset.offset(
                    Math.abs(values[i]) * 1e-3f + 6e-5f));
        }
    }

    @Property(tries = 200)
    void q8ErrorIsAtMostHalfAStepOfItsBlock(@ForAll @Size(max = 1000) java.util.List<@FloatRange(min = -100, max = 100) Float> list) {
        float[] values = toArray(list);
        Q8Codec c = new Q8Codec();
        byte[] enc = c.encode(vec(values));
        assertThat((long) enc.length).isEqualTo(Q8Codec.encodedBytes(values.length));
        ParamVector out = c.decode(enc, values.length);
        for (int start = 0; start < values.length; start += Q8Codec.BLOCK) {
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (int i = start; i < Math.min(values.length, start + Q8Codec.BLOCK); i++) {
                min = Math.min(min, values[i]);
                max = Math.max(max, values[i]);
            }
            double tolerance = (max - min) / 255.0 / 2 + 1e-4;
            for (int i = start; i < Math.min(values.length, start + Q8Codec.BLOCK); i++) {
                assertThat((double) out.get(i)).isCloseTo(values[i], org.assertj.core.data.Offset.offset(tolerance));
            }
        }
    }

    @Property(tries = 200)
    void topKKeepsExactlyTheLargestMagnitudes(@ForAll @Size(min = 1, max = 500) float[] values) {
        TopKCodec c = new TopKCodec(0.1);
        ParamVector out = c.decode(c.encode(vec(values)), values.length);
        int k = (int) Math.max(1, Math.min(values.length, Math.round(0.1 * values.length)));
        int nonZeroKept = 0;
        float smallestKept = Float.POSITIVE_INFINITY;
        for (int i = 0; i < values.length; i++) {
            if (Float.compare(out.get(i), 0f) != 0 || Float.compare(values[i], 0f) == 0) {
                assertThat(out.get(i)).isIn(values[i], 0f);
            }
            if (out.get(i) != 0f) {
                nonZeroKept++;
                smallestKept = Math.min(smallestKept, Math.abs(out.get(i)));
            }
        }
        assertThat(nonZeroKept).isLessThanOrEqualTo(k);
        for (int i = 0; i < values.length; i++) {
            if (out.get(i) == 0f && nonZeroKept == k) {
                assertThat(Math.abs(values[i])).isLessThanOrEqualTo(smallestKept);
            }
        }
    }

    @Test
    void decodersRejectBytesOfTheWrongLengthNamingTheExpectedSize() {
        assertThatThrownBy(() -> new F32Codec().decode(new byte[7], 2))
                .isInstanceOf(MalformedEncodingException.class).hasMessageContaining("must be 8 bytes");
        assertThatThrownBy(() -> new F16Codec().decode(new byte[3], 2)).isInstanceOf(MalformedEncodingException.class);
        assertThatThrownBy(() -> new Q8Codec().decode(new byte[3], 2)).isInstanceOf(MalformedEncodingException.class);
    }

    @Test
    void topKRejectsOutOfRangeOrUnorderedIndices() {
        ByteBuffer b = ByteBuffer.allocate(4 + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(2).putInt(3).putInt(1).putFloat(1f).putFloat(2f);
        assertThatThrownBy(() -> new TopKCodec(1).decode(b.array(), 10))
                .isInstanceOf(MalformedEncodingException.class).hasMessageContaining("strictly increasing");
        ByteBuffer big = ByteBuffer.allocate(4 + 8).order(ByteOrder.LITTLE_ENDIAN);
        big.putInt(1).putInt(10).putFloat(1f);
        assertThatThrownBy(() -> new TopKCodec(1).decode(big.array(), 10)).isInstanceOf(MalformedEncodingException.class);
    }

    @Test
    void q8RejectsNonFiniteBlockHeaders() {
        ByteBuffer b = ByteBuffer.allocate((int) Q8Codec.encodedBytes(3)).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(Float.NaN).putFloat(1f);
        assertThatThrownBy(() -> new Q8Codec().decode(b.array(), 3)).isInstanceOf(MalformedEncodingException.class);
    }

    @Test
    void specsParseToCodecsAndUnknownOnesAreNamed() {
        assertThat(ModelCodecs.parse("topk:0.05")).isEqualTo(new TopKCodec(0.05));
        assertThat(ModelCodecs.parse("q8").name()).isEqualTo("q8");
        assertThatThrownBy(() -> ModelCodecs.parse("zip")).hasMessageContaining("f32, f16, q8 or topk");
        assertThatThrownBy(() -> ModelCodecs.forWireName("zip")).isInstanceOf(MalformedEncodingException.class);
    }
}
