package io.starling.core.model.nn;

/**
 * The shape of one example's activations inside a convolutional network: {@code channels} planes
 * of {@code height x width}, stored channel-major ({@code [c][y][x]}, PyTorch's NCHW without the
 * batch axis) in the flat buffers that {@link Layer}s exchange. Convolutional layers take it as
 * constructor metadata; the {@link Layer} interface itself stays shape-agnostic.
 */
public record FeatureMapShape(int channels, int height, int width) {
    public FeatureMapShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("feature map dimensions must be >= 1, got " + channels + "x"
                    + height + "x" + width);
        }
        if ((long) channels * height * width > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("feature map " + channels + "x" + height + "x" + width
                    + " is too large");
        }
    }

    /** Floats per example. */
    public int size() {
        return channels * height * width;
    }

    /** Floats per channel plane. */
    public int planeSize() {
        return height * width;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
