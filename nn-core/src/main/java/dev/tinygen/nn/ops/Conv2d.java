package dev.tinygen.nn.ops;

import java.util.Arrays;
import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 2-D convolution (cross-correlation, as in PyTorch) over NCHW images, with zero padding and no dilation.
 *
 * <p>Shape: x (B, Cin, H, W), weight (Cout, Cin, kH, kW), bias (Cout) or null -> (B, Cout, Ho, Wo) with
 * {@code Ho = (H + 2 pH - kH) / sH + 1} and {@code Wo = (W + 2 pW - kW) / sW + 1} (floor division).
 *
 * <p>Computed as im2col + one gemm: the input's patches become the columns of a (Cin kH kW, B Ho Wo) matrix, and the
 * weight in PyTorch's layout is already the (Cout, Cin kH kW) matrix that multiplies it. Backward is two gemms and a
 * col2im. libnd4j's fused {@code conv2d} / {@code conv2d_bp} give the same numbers, but {@code conv2d_bp} measured
 * 80-200 ms for 32 -> 64 channels on (64, 32, 14, 14) against 15-20 ms for this backward, because its im2col writes
 * into a permuted view.
 */
public final class Conv2d extends Op {
    private Tensor x;
    private Tensor w;
    private Tensor b;
    private int sH;
    private int sW;
    private int pH;
    private int pW;
    private INDArray cols;

    /** Square stride and padding. */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return apply(x, weight, bias, stride, stride, padding, padding);
    }

    public static Tensor apply(Tensor x, Tensor weight, Tensor bias, int strideH, int strideW, int padH, int padW) {
        return new Conv2d().forward(x, weight, bias, strideH, strideW, padH, padW);
    }

    /** The output height (or width) for an input of size {@code in}: {@code (in + 2 p - k) / s + 1}. */
    public static long outputSize(long in, long kernel, int stride, int padding) {
        return (in + 2L * padding - kernel) / stride + 1;
    }

    private Tensor forward(Tensor x, Tensor w, Tensor b, int sH, int sW, int pH, int pW) {
        check(x, w, b, sH, sW, pH, pW);
        this.x = x;
        this.w = w;
        this.b = b;
        this.sH = sH;
        this.sW = sW;
        this.pH = pH;
        this.pW = pW;
        int kH = (int) w.size(2), kW = (int) w.size(3);
        long ho = outputSize(x.size(2), kH, sH, pH), wo = outputSize(x.size(3), kW, sW, pW);
        INDArray cols = columns(x.value(), kH, kW, sH, sW, pH, pW, ho, wo);               // (Cin kH kW, B Ho Wo)
        this.cols = w.requiresGrad() ? cols : null;                                        // only dW needs them
        INDArray y2 = gemm(matrix(w.value()), cols, false, false);                         // (Cout, B Ho Wo)
        if (b != null) y2.addiColumnVector(b.value());
        INDArray y = batchFirst(y2, x.size(0), ho, wo);                                    // (B, Cout, Ho, Wo)
        return b == null ? output(y, x, w) : output(y, x, w, b);
    }

    private static void check(Tensor x, Tensor w, Tensor b, int sH, int sW, int pH, int pW) {
        Checks.rank("conv2d input (B, Cin, H, W)", x, 4);
        Checks.rank("conv2d weight (Cout, Cin, kH, kW)", w, 4);
        Checks.sameType("conv2d", x, w);
        if (sH < 1 || sW < 1 || pH < 0 || pW < 0)
            throw new IllegalArgumentException("conv2d: stride must be >= 1 and padding >= 0, got stride (%d, %d), padding (%d, %d)"
                    .formatted(sH, sW, pH, pW));
        if (x.size(1) != w.size(1))
            throw new IllegalArgumentException("conv2d: input has %d channels but the weight %s expects %d"
                    .formatted(x.size(1), Arrays.toString(w.shape()), w.size(1)));
        if (b != null) {
            Checks.sameType("conv2d", x, b);
            if (b.rank() != 1 || b.size(0) != w.size(0))
                throw new IllegalArgumentException("conv2d: expected bias of shape [%d], got %s"
                        .formatted(w.size(0), Arrays.toString(b.shape())));
        }
        long hp = x.size(2) + 2L * pH, wp = x.size(3) + 2L * pW;
        if (w.size(2) > hp || w.size(3) > wp)
            throw new IllegalArgumentException("conv2d: kernel %dx%d is larger than the padded input %dx%d (input %s, padding (%d, %d))"
                    .formatted(w.size(2), w.size(3), hp, wp, Arrays.toString(x.shape()), pH, pW));
    }

    @Override
    protected void backward(INDArray dy) {                                               // dy: (B, Cout, Ho, Wo)
        INDArray dy2 = channelsFirst(dy);                                                // (Cout, B Ho Wo)
        if (needsGrad(w)) accumulate(w, gemm(dy2, cols, false, true).reshape('c', w.shape())); // (Cout, Cin, kH, kW)
        if (b != null && needsGrad(b)) accumulate(b, dy2.sum(1));                          // (Cout)
        if (needsGrad(x)) {
            INDArray dcols = gemm(matrix(w.value()), dy2, true, false);                  // (Cin kH kW, B Ho Wo)
            accumulate(x, image(dcols, x.shape(), (int) w.size(2), (int) w.size(3), sH, sW, pH, pW, dy.size(2), dy.size(3)));
        }
    }

    // ---- im2col / col2im and layout helpers, shared with ConvTranspose2d.

    /** A (C, X, kH, kW) weight as the (C, X kH kW) matrix it is in memory. */
    static INDArray matrix(INDArray w) {
        return w.reshape('c', w.size(0), w.size(1) * w.size(2) * w.size(3));             // (C, X kH kW)
    }

    /**
     * im2col: column {@code (b, oh, ow)} of the result holds the (C, kH, kW) patch of image b that output pixel
     * (oh, ow) sees, zeros where it overlaps the padding. libnd4j's {@code im2col} writes a contiguous
     * (B, C, kH, kW, Ho, Wo) array fast (but a permuted view 8x slower), so it is followed by one permuting copy.
     */
    static INDArray columns(INDArray x, int kH, int kW, int sH, int sW, int pH, int pW, long ho, long wo) {
        long n = x.size(0), c = x.size(1);
        INDArray patches = Nd4j.createUninitialized(x.dataType(), n, c, kH, kW, ho, wo);  // (B, C, kH, kW, Ho, Wo)
        Nd4j.exec(DynamicCustomOp.builder("im2col").addInputs(x).addOutputs(patches)
                .addIntegerArguments(kH, kW, sH, sW, pH, pW, 1, 1, 0).build());
        INDArray cols = Nd4j.createUninitialized(x.dataType(), new long[] {c * kH * kW, n, ho * wo}, 'c');
        cols.assign(patches.reshape('c', n, c * kH * kW, ho * wo).permute(1, 0, 2));     // (C kH kW, B, Ho Wo)
        return cols.reshape('c', c * kH * kW, n * ho * wo);                              // (C kH kW, B Ho Wo)
    }

    /**
     * col2im, the adjoint of {@link #columns}: adds every column's patch back into a (B, C, H, W) image of the given
     * shape. libnd4j's {@code col2im} reads the permuted view directly at full speed and zeroes its output first.
     */
    static INDArray image(INDArray cols, long[] shape, int kH, int kW, int sH, int sW, int pH, int pW, long ho, long wo) {
        long n = shape[0], c = shape[1];
        INDArray patches = cols.reshape('c', c, kH, kW, n, ho, wo).permute(3, 0, 1, 2, 4, 5); // (B, C, kH, kW, Ho, Wo)
        INDArray img = Nd4j.createUninitialized(cols.dataType(), shape);                // (B, C, H, W)
        Nd4j.exec(DynamicCustomOp.builder("col2im").addInputs(patches).addOutputs(img)
                .addIntegerArguments(sH, sW, pH, pW, (int) shape[2], (int) shape[3], 1, 1, 0).build());
        return img;
    }

    /** (B, C, H, W) -> (C, B H W), a copy. */
    static INDArray channelsFirst(INDArray x) {
        long n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        INDArray out = Nd4j.createUninitialized(x.dataType(), new long[] {c, n, h, w}, 'c');
        out.assign(x.permute(1, 0, 2, 3));                                               // (C, B, H, W)
        return out.reshape('c', c, n * h * w);                                           // (C, B H W)
    }

    /** (C, B H W) -> (B, C, H, W), a copy. */
    static INDArray batchFirst(INDArray x2, long n, long h, long w) {
        long c = x2.size(0);
        INDArray out = Nd4j.createUninitialized(x2.dataType(), new long[] {n, c, h, w}, 'c');
        out.assign(x2.reshape('c', c, n, h, w).permute(1, 0, 2, 3));                     // (B, C, H, W)
        return out;
    }

    /** {@code op(a) op(b)} into a new row-major matrix. */
    static INDArray gemm(INDArray a, INDArray b, boolean ta, boolean tb) {
        long m = ta ? a.size(1) : a.size(0);
        long n = tb ? b.size(0) : b.size(1);
        INDArray out = Nd4j.createUninitialized(a.dataType(), new long[] {m, n}, 'c');
        Nd4j.gemm(a, b, out, ta, tb, 1.0, 0.0);                                          // (M, N)
        return out;
    }
}
