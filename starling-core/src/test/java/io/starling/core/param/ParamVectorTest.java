package io.starling.core.param;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ParamVectorTest {

    @Test
    void binaryOperationOnDifferentSizesNamesBothSizes() {
        ParamVector a = ParamVector.zeros(3);
        ParamVector b = ParamVector.zeros(4);
        assertThatThrownBy(() -> a.addInPlace(b))
                .isInstanceOf(DimensionMismatchException.class)
                .hasMessageContaining("expected 3")
                .hasMessageContaining("got 4");
    }

    @Test
    void requireFiniteNamesTheFirstBadIndex() {
        ParamVector v = ParamVector.of(1f, 2f, Float.NaN, Float.POSITIVE_INFINITY);
        assertThatThrownBy(() -> v.requireFinite("update from c1"))
                .isInstanceOf(NonFiniteValueException.class)
                .hasMessageContaining("update from c1")
                .hasMessageContaining("parameter 2");
        assertThat(v.firstNonFinite()).isEqualTo(2);
    }

    @Test
    void requireSizeRejectsWrongModelDimension() {
        assertThatThrownBy(() -> ParamVector.zeros(5).requireSize("client update", 7))
                .isInstanceOf(DimensionMismatchException.class)
                .hasMessageContaining("client update");
    }

    @Test
    void ofCopiesItsInputButWrapDoesNot() {
        float[] raw = {1f, 2f};
        ParamVector copied = ParamVector.of(raw);
        ParamVector wrapped = ParamVector.wrap(raw);
        raw[0] = 9f;
        assertThat(copied.get(0)).isEqualTo(1f);
        assertThat(wrapped.get(0)).isEqualTo(9f);
    }

    @Test
    void pureOperationsLeaveOperandsUnchanged() {
        ParamVector a = ParamVector.of(1f, 2f);
        ParamVector b = ParamVector.of(3f, 5f);
        ParamVector sum = a.plus(b);
        ParamVector diff = b.minus(a);
        ParamVector scaled = a.times(2);
        assertThat(sum.toArray()).containsExactly(4f, 7f);
        assertThat(diff.toArray()).containsExactly(2f, 3f);
        assertThat(scaled.toArray()).containsExactly(2f, 4f);
        assertThat(a.toArray()).containsExactly(1f, 2f);
        assertThat(b.toArray()).containsExactly(3f, 5f);
    }

    @Test
    void axpyAndLerpComputeTheirFormulas() {
        ParamVector acc = ParamVector.of(1f, 1f).axpyInPlace(0.5, ParamVector.of(2f, 4f));
        assertThat(acc.toArray()).containsExactly(2f, 3f);
        ParamVector mixed = ParamVector.of(0f, 10f).lerpInPlace(0.25, ParamVector.of(4f, 2f));
        assertThat(mixed.toArray()).containsExactly(1f, 8f);
    }

    @Test
    void normAndDistance() {
        assertThat(ParamVector.of(3f, 4f).norm()).isEqualTo(5.0);
        assertThat(ParamVector.of(1f, 1f).distance(ParamVector.of(4f, 5f))).isEqualTo(5.0);
    }

    @Test
    void bytesWithALengthNotMultipleOfFourAreRejected() {
        assertThatThrownBy(() -> ParamVector.fromBytes(new byte[7]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("7 bytes");
    }

    @Test
    void digestIsStableAndContentAddressed() {
        ParamVector a = ParamVector.of(1f, 2f, 3f);
        assertThat(a.digest()).hasSize(64).isEqualTo(a.copy().digest());
        assertThat(a.digest()).isNotEqualTo(ParamVector.of(1f, 2f, 3.0001f).digest());
    }

    @Property
    void encodingRoundTripsExactly(@ForAll @Size(max = 64) float[] values) {
        ParamVector v = ParamVector.of(values);
        assertThat(ParamVector.fromBytes(v.toBytes()).contentEquals(v)).isTrue();
    }

    @Property
    void addingThenSubtractingRestoresTheVector(
            @ForAll @Size(min = 1, max = 32) @FloatRange(min = -1000, max = 1000) float[] a) {
        ParamVector v = ParamVector.of(a);
        ParamVector d = v.times(0.5);
        ParamVector back = v.plus(d).minus(d);
        for (int i = 0; i < a.length; i++) {
            // Two float roundings at magnitude 1.5|a|: a few ulps of that, never more.
            float tolerance = 4 * Math.ulp(1.5f * Math.abs(a[i])) + Float.MIN_NORMAL;
            assertThat(back.get(i)).isCloseTo(a[i], org.assertj.core.data.Offset.offset(tolerance));
        }
    }

    @Property
    void distanceIsSymmetric(@ForAll @Size(value = 8) @FloatRange(min = -100, max = 100) float[] a,
                             @ForAll @Size(value = 8) @FloatRange(min = -100, max = 100) float[] b) {
        ParamVector x = ParamVector.of(a);
        ParamVector y = ParamVector.of(b);
        assertThat(x.squaredDistance(y)).isEqualTo(y.squaredDistance(x));
    }
}
