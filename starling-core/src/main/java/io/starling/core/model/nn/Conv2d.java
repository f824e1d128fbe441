package io.starling.core.model.nn;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * 2-D convolution (cross-correlation, as in PyTorch) with square kernels, stride and zero padding.
 *
 * <p>Parameter layout in its slice: {@code W[outChannels][inChannels][kernel][kernel]} then
 * {@code b[outChannels]}, the same order as PyTorch's {@code Conv2d}, so DJL and built-in models
 * exchange parameters without reshuffling.
 *
 * <p>Implementation: im2col per example, then matrix products whose innermost loops are
 * {@link Kernels} axpys {@code y[j] += a * x[j]} (SIMD with the Vector API). Every matrix is kept
 * as an array of row arrays, each starting at index 0, so that even the scalar kernel vectorises:
 * C2 (JDK 25) vectorises such a loop only when {@code x} and {@code y} are indexed by the same
 * expression, as it cannot rule out that two {@code float[]} are one array. Forward accumulates
 * {@code acc[o][:] += W[o][r] * col[r][:]} over the {@code [patch][positions]} im2col rows;
 * backward, over the transposed {@code [positions][patch]} rows, adds {@code g * col[j][:]} to
 * the weight gradient row {@code o} and {@code g * W[o][:]} to the input-gradient row {@code j}
 * for every non-zero output gradient {@code g = gradOut[o][j]}, then col2im. Skipping zero
 * gradients pays off because ReLU and max-pooling leave most of them zero (2x2 max-pooling alone
 * zeroes three in four). All scratch rows are allocated once per layer instance: nothing is
 * allocated per example or per batch, and backward recomputes im2col rather than keeping one
 * buffer per example.
 */
public final class Conv2d implements Layer {
    private static final Kernels K = Kernels.active();
    private final FeatureMapShape in;
    private final FeatureMapShape out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int patch;
    private final int positions;
    /** im2col for forward: row r = tap (c, ky, kx), column = output position. */
    private final float[][] col;
    /** im2col for backward: row j = output position, column = tap. */
    private final float[][] colT;
    /** dLoss/d colT, allocated on the first backward that needs an input gradient. */
    private float[][] colGradT;
    /** Per-channel output accumulators, one row per filter. */
    private final float[][] acc;
    /** The filters copied out of the flat parameter array, one row per filter. */
    private final float[][] weights;
    /** Weight gradient accumulated over a batch, one row per filter. */
    private final float[][] weightGrads;

    /**
     * @param in shape of the input feature maps
     * @param outChannels number of filters
     * @param kernel kernel height and width
     * @param stride step between windows (>= 1)
     * @param padding zeros added on every side (>= 0)
     */
    public Conv2d(FeatureMapShape in, int outChannels, int kernel, int stride, int padding) {
        if (outChannels < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("conv2d needs outChannels, kernel, stride >= 1 and padding >= 0, got "
                    + outChannels + ", " + kernel + ", " + stride + ", " + padding);
        }
        if (in.height() + 2 * padding < kernel || in.width() + 2 * padding < kernel) {
            throw new IllegalArgumentException("conv2d kernel " + kernel + " does not fit input " + in
                    + " with padding " + padding);
        }
        this.in = in;
        this.out = new FeatureMapShape(outChannels, (in.height() + 2 * padding - kernel) / stride + 1,
                (in.width() + 2 * padding - kernel) / stride + 1);
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.patch = in.channels() * kernel * kernel;
        this.positions = out.planeSize();
        this.col = new float[patch][positions];
        this.colT = new float[positions][patch];
        this.acc = new float[outChannels][positions];
        this.weights = new float[outChannels][patch];
        this.weightGrads = new float[outChannels][patch];
    }

    /** Shape of the output feature maps. */
    public FeatureMapShape outputShape() {
        return out;
    }

    @Override
    public int inputSize() {
        return in.size();
    }

    @Override
    public int outputSize() {
        return out.size();
    }

    @Override
    public int paramCount() {
        return out.channels() * patch + out.channels();
    }

    /** He-uniform U(±sqrt(6 / fanIn)) with fanIn = inChannels·kernel², biases zero. */
    @Override
    public void initParams(float[] params, int offset, SplittableRandom rng) {
        double limit = Math.sqrt(6.0 / patch);
        int count = out.channels() * patch;
        for (int i = 0; i < count; i++) {
            params[offset + i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
        }
        Arrays.fill(params, offset + count, offset + count + out.channels(), 0f);
    }

    @Override
    public void forward(float[] params, int offset, float[] input, float[] output, int batch, boolean training) {
        final int oc = out.channels();
        final int p = positions;
        final int biasOffset = offset + oc * patch;
        loadWeights(params, offset);
        for (int b = 0; b < batch; b++) {
            im2col(input, b * in.size());
            final int outBase = b * out.size();
            for (int o = 0; o < oc; o++) {
                final float[] a = acc[o];
                final float[] w = weights[o];
                Arrays.fill(a, params[biasOffset + o]);
                for (int r = 0; r < patch; r++) {
                    axpy(w[r], col[r], a, p);
                }
                System.arraycopy(a, 0, output, outBase + o * p, p);
            }
        }
    }

    @Override
    public void backward(float[] params, float[] grads, int offset, float[] input, float[] output, float[] gradOut,
                         float[] gradIn, int batch) {
        final int oc = out.channels();
        final int p = positions;
        final int biasOffset = offset + oc * patch;
        if (gradIn != null && colGradT == null) {
            colGradT = new float[positions][patch];
        }
        loadWeights(params, offset);
        for (float[] row : weightGrads) {
            Arrays.fill(row, 0f);
        }
        for (int b = 0; b < batch; b++) {
            im2colTransposed(input, b * in.size());
            if (gradIn != null) {
                for (float[] row : colGradT) {
                    Arrays.fill(row, 0f);
                }
            }
            final int gBase = b * out.size();
            for (int o = 0; o < oc; o++) {
                final int gRow = gBase + o * p;
                final float[] gw = weightGrads[o];
                final float[] w = weights[o];
                float bias = 0f;
                for (int j = 0; j < p; j++) {
                    final float g = gradOut[gRow + j];
                    if (g == 0f) {
                        continue;
                    }
                    bias += g;
                    axpy(g, colT[j], gw, patch);
                    if (gradIn != null) {
                        axpy(g, w, colGradT[j], patch);
                    }
                }
                grads[biasOffset + o] += bias;
            }
            if (gradIn != null) {
                col2imTransposed(gradIn, b * in.size());
            }
        }
        for (int o = 0; o < oc; o++) {
            final float[] gw = weightGrads[o];
            final int base = offset + o * patch;
            for (int r = 0; r < patch; r++) {
                grads[base + r] += gw[r];
            }
        }
    }

    /** {@code y[0..n) += a * x[0..n)}; with offsets 0 even the scalar kernel vectorises. */
    private static void axpy(float a, float[] x, float[] y, int n) {
        K.axpy(a, x, 0, y, 0, n);
    }

    private void loadWeights(float[] params, int offset) {
        for (int o = 0; o < out.channels(); o++) {
            System.arraycopy(params, offset + o * patch, weights[o], 0, patch);
        }
    }

    /** Fills {@code col[(c, ky, kx)][(oy, ox)]} with the input pixel under each kernel tap, 0 in the padding. */
    private void im2col(float[] input, int base) {
        final int h = in.height();
        final int w = in.width();
        final int outH = out.height();
        final int outW = out.width();
        int r = 0;
        for (int c = 0; c < in.channels(); c++) {
            final int plane = base + c * h * w;
            for (int ky = 0; ky < kernel; ky++) {
                for (int kx = 0; kx < kernel; kx++, r++) {
                    final float[] row = col[r];
                    for (int oy = 0; oy < outH; oy++) {
                        final int iy = oy * stride - padding + ky;
                        final int dst = oy * outW;
                        if (iy < 0 || iy >= h) {
                            Arrays.fill(row, dst, dst + outW, 0f);
                            continue;
                        }
                        final int src = plane + iy * w;
                        if (stride == 1) {
                            // ix = ox - padding + kx lies inside the image for ox in [lo, hi)
                            final int lo = Math.min(outW, Math.max(0, padding - kx));
                            final int hi = Math.max(lo, Math.min(outW, w + padding - kx));
                            Arrays.fill(row, dst, dst + lo, 0f);
                            System.arraycopy(input, src + lo - padding + kx, row, dst + lo, hi - lo);
                            Arrays.fill(row, dst + hi, dst + outW, 0f);
                        } else {
                            for (int ox = 0; ox < outW; ox++) {
                                final int ix = ox * stride - padding + kx;
                                row[dst + ox] = ix >= 0 && ix < w ? input[src + ix] : 0f;
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Fills {@code colT[(oy, ox)][(c, ky, kx)]}, the transpose of {@link #im2col}: one row per
     * output position holding the patch it reads, so backward's loops run along contiguous patches.
     */
    private void im2colTransposed(float[] input, int base) {
        final int h = in.height();
        final int w = in.width();
        final int outW = out.width();
        for (int j = 0; j < positions; j++) {
            final float[] row = colT[j];
            final int oy = j / outW;
            final int x0 = (j % outW) * stride - padding;
            final int lo = Math.min(kernel, Math.max(0, -x0));
            final int hi = Math.max(lo, Math.min(kernel, w - x0));
            int dst = 0;
            for (int c = 0; c < in.channels(); c++) {
                for (int ky = 0; ky < kernel; ky++, dst += kernel) {
                    final int iy = oy * stride - padding + ky;
                    if (iy < 0 || iy >= h) {
                        Arrays.fill(row, dst, dst + kernel, 0f);
                        continue;
                    }
                    Arrays.fill(row, dst, dst + lo, 0f);
                    System.arraycopy(input, base + (c * h + iy) * w + x0 + lo, row, dst + lo, hi - lo);
                    Arrays.fill(row, dst + hi, dst + kernel, 0f);
                }
            }
        }
    }

    /** Writes the input gradient of one example: the sum of {@code colGradT} over every tap that read a pixel. */
    private void col2imTransposed(float[] gradIn, int base) {
        final int h = in.height();
        final int w = in.width();
        final int outW = out.width();
        Arrays.fill(gradIn, base, base + in.size(), 0f);
        for (int j = 0; j < positions; j++) {
            final float[] row = colGradT[j];
            final int oy = j / outW;
            final int x0 = (j % outW) * stride - padding;
            final int lo = Math.max(0, -x0);
            final int hi = Math.min(kernel, w - x0);
            int src = 0;
            for (int c = 0; c < in.channels(); c++) {
                for (int ky = 0; ky < kernel; ky++, src += kernel) {
                    final int iy = oy * stride - padding + ky;
                    if (iy < 0 || iy >= h) {
                        continue;
                    }
                    final int dst = base + (c * h + iy) * w + x0;
                    for (int kx = lo; kx < hi; kx++) {
                        gradIn[dst + kx] += row[src + kx];
                    }
                }
            }
        }
    }

    /** A fresh instance: copies must not share the scratch rows. */
    @Override
    public Layer copy() {
        return new Conv2d(in, out.channels(), kernel, stride, padding);
    }

    @Override
    public String describe() {
        return "conv2d(" + in + "->" + out + ", k" + kernel + (stride != 1 ? " s" + stride : "")
                + (padding != 0 ? " p" + padding : "") + ")";
    }
}
