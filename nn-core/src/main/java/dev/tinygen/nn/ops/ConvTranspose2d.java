package dev.tinygen.nn.ops;

import java.util.Arrays;
import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 2-D transposed convolution ("deconvolution", as PyTorch's {@code conv_transpose2d}) over NCHW images: the
 * adjoint of {@link Conv2d} with the same weight, plus a bias. No dilation, no groups.
 *
 * <p>Shape: x (B, Cin, H, W), weight (Cin, Cout, kH, kW), bias (Cout) or null -> (B, Cout, Ho, Wo) with
 * {@code Ho = (H - 1) sH - 2 pH + kH + opH}, where the output padding {@code opH} (less than the stride) adds rows
 * at the bottom (and {@code opW} columns at the right) so that a strided {@link Conv2d} of the output shape maps
 * back onto H exactly.
 *
 * <p>Computed as a gemm and a col2im, the steps of {@link Conv2d}'s input gradient: the weight in PyTorch's layout
 * is the (Cin, Cout kH kW) matrix whose transpose turns each input pixel's channels into its output patch, and
 * col2im adds the patches into the image (output padding is only a larger image there). Backward is an im2col and
 * two gemms. libnd4j's {@code deconv2d} / {@code deconv2d_bp} give the same numbers but have no output padding, and
 * forward plus backward measured about 2.5x slower at the MNIST shapes.
 */
public final class ConvTranspose2d extends Op {
    private Tensor x;
    private Tensor w;
    private Tensor b;
    private int sH;
    private int sW;
    private int pH;
    private int pW;
    private INDArray x2;

    /** Square stride and padding, no output padding. */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return apply(x, weight, bias, stride, padding, 0);
    }

    /** Square stride, padding and output padding. */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int outputPadding) {
        return apply(x, weight, bias, stride, stride, padding, padding, outputPadding, outputPadding);
    }

    public static Tensor apply(Tensor x, Tensor weight, Tensor bias, int strideH, int strideW, int padH, int padW,
                               int outputPadH, int outputPadW) {
        return new ConvTranspose2d().forward(x, weight, bias, strideH, strideW, padH, padW, outputPadH, outputPadW);
    }

    /** The output height (or width) for an input of size {@code in}: {@code (in - 1) s - 2 p + k + op}. */
    public static long outputSize(long in, long kernel, int stride, int padding, int outputPadding) {
        return (in - 1) * stride - 2L * padding + kernel + outputPadding;
    }

    private Tensor forward(Tensor x, Tensor w, Tensor b, int sH, int sW, int pH, int pW, int opH, int opW) {
        check(x, w, b, sH, sW, pH, pW, opH, opW);
        this.x = x;
        this.w = w;
        this.b = b;
        this.sH = sH;
        this.sW = sW;
        this.pH = pH;
        this.pW = pW;
        int kH = (int) w.size(2), kW = (int) w.size(3);
        long n = x.size(0), h = x.size(2), wd = x.size(3), cout = w.size(1);
        long ho = outputSize(h, kH, sH, pH, opH), wo = outputSize(wd, kW, sW, pW, opW);
        INDArray x2 = Conv2d.channelsFirst(x.value());                                      // (Cin, B H W)
        this.x2 = w.requiresGrad() ? x2 : null;                                            // only dW needs it
        INDArray cols = Conv2d.gemm(Conv2d.matrix(w.value()), x2, true, false);            // (Cout kH kW, B H W)
        INDArray y = Conv2d.image(cols, new long[] {n, cout, ho, wo}, kH, kW, sH, sW, pH, pW, h, wd); // (B, Cout, Ho, Wo)
        if (b != null) Nd4j.exec(new BroadcastAddOp(y, b.value(), y, 1));                 // bias along channels
        return b == null ? output(y, x, w) : output(y, x, w, b);
    }

    private static void check(Tensor x, Tensor w, Tensor b, int sH, int sW, int pH, int pW, int opH, int opW) {
        Checks.rank("convTranspose2d input (B, Cin, H, W)", x, 4);
        Checks.rank("convTranspose2d weight (Cin, Cout, kH, kW)", w, 4);
        Checks.sameType("convTranspose2d", x, w);
        if (sH < 1 || sW < 1 || pH < 0 || pW < 0)
            throw new IllegalArgumentException("convTranspose2d: stride must be >= 1 and padding >= 0, got stride (%d, %d), padding (%d, %d)"
                    .formatted(sH, sW, pH, pW));
        if (opH < 0 || opW < 0 || opH >= sH || opW >= sW)
            throw new IllegalArgumentException("convTranspose2d: output padding must be >= 0 and smaller than the stride, got output padding (%d, %d), stride (%d, %d)"
                    .formatted(opH, opW, sH, sW));
        if (x.size(1) != w.size(0))
            throw new IllegalArgumentException("convTranspose2d: input has %d channels but the weight %s expects %d"
                    .formatted(x.size(1), Arrays.toString(w.shape()), w.size(0)));
        if (b != null) {
            Checks.sameType("convTranspose2d", x, b);
            if (b.rank() != 1 || b.size(0) != w.size(1))
                throw new IllegalArgumentException("convTranspose2d: expected bias of shape [%d], got %s"
                        .formatted(w.size(1), Arrays.toString(b.shape())));
        }
        long ho = outputSize(x.size(2), w.size(2), sH, pH, opH), wo = outputSize(x.size(3), w.size(3), sW, pW, opW);
        if (ho < 1 || wo < 1)
            throw new IllegalArgumentException("convTranspose2d: output would be %dx%d for input %s, kernel %dx%d, stride (%d, %d), padding (%d, %d), output padding (%d, %d)"
                    .formatted(ho, wo, Arrays.toString(x.shape()), w.size(2), w.size(3), sH, sW, pH, pW, opH, opW));
    }

    @Override
    protected void backward(INDArray dy) {                                               // dy: (B, Cout, Ho, Wo)
        int kH = (int) w.size(2), kW = (int) w.size(3);
        long h = x.size(2), wd = x.size(3);
        INDArray dcols = Conv2d.columns(dy, kH, kW, sH, sW, pH, pW, h, wd);               // (Cout kH kW, B H W)
        if (needsGrad(w)) accumulate(w, Conv2d.gemm(x2, dcols, false, true).reshape('c', w.shape())); // (Cin, Cout, kH, kW)
        if (needsGrad(x)) {
            INDArray dx2 = Conv2d.gemm(Conv2d.matrix(w.value()), dcols, false, false);    // (Cin, B H W)
            accumulate(x, Conv2d.batchFirst(dx2, x.size(0), h, wd));                       // (B, Cin, H, W)
        }
        if (b != null && needsGrad(b)) accumulate(b, dy.sum(0, 2, 3));                    // (Cout)
    }
}
