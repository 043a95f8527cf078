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
 * <p>Forward and backward are libnd4j's {@code conv2d} and {@code conv2d_bp} (im2col + gemm inside). The weight is
 * passed in PyTorch's layout: weight format 1 of those kernels is {@code [oC, iC, kH, kW]}, so nothing is permuted.
 */
public final class Conv2d extends Op {
    /** libnd4j's data-format argument: 0 is NCHW. */
    static final int NCHW = 0;
    /** libnd4j's weight-format argument: 1 is {@code [oC, iC, kH, kW]} for conv2d, {@code [iC, oC, kH, kW]} for deconv2d. */
    static final int WEIGHTS_OIHW = 1;
    /** libnd4j's padding-mode argument: 0 is explicit ("valid") padding. */
    static final int EXPLICIT_PADDING = 0;

    private Tensor x;
    private Tensor w;
    private Tensor b;
    private int[] iargs;

    /** Square stride and padding. */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return apply(x, weight, bias, stride, stride, padding, padding);
    }

    public static Tensor apply(Tensor x, Tensor weight, Tensor bias, int strideH, int strideW, int padH, int padW) {
        return new Conv2d().forward(x, weight, bias, strideH, strideW, padH, padW);
    }

    private Tensor forward(Tensor x, Tensor w, Tensor b, int sH, int sW, int pH, int pW) {
        check(x, w, b, sH, sW, pH, pW);
        this.x = x;
        this.w = w;
        this.b = b;
        long kH = w.size(2), kW = w.size(3);
        this.iargs = new int[] {(int) kH, (int) kW, sH, sW, pH, pW, 1, 1, EXPLICIT_PADDING, NCHW, WEIGHTS_OIHW};
        long ho = (x.size(2) + 2L * pH - kH) / sH + 1;
        long wo = (x.size(3) + 2L * pW - kW) / sW + 1;
        INDArray y = Nd4j.createUninitialized(x.dtype(), x.size(0), w.size(0), ho, wo);   // (B, Cout, Ho, Wo)
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d");
        if (b == null) op.addInputs(x.value(), w.value());
        else op.addInputs(x.value(), w.value(), b.value());
        Nd4j.exec(op.addOutputs(y).addIntegerArguments(iargs).build());
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
        INDArray dx = Nd4j.createUninitialized(x.dtype(), x.shape());                    // (B, Cin, H, W)
        INDArray dw = Nd4j.createUninitialized(w.dtype(), w.shape());                    // (Cout, Cin, kH, kW)
        INDArray db = b == null ? null : Nd4j.createUninitialized(b.dtype(), b.shape()); // (Cout)
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d_bp");
        if (b == null) op.addInputs(x.value(), w.value(), dy).addOutputs(dx, dw);
        else op.addInputs(x.value(), w.value(), b.value(), dy).addOutputs(dx, dw, db);
        Nd4j.exec(op.addIntegerArguments(iargs).build());
        accumulate(x, dx);
        accumulate(w, dw);
        if (b != null) accumulate(b, db);
    }
}
