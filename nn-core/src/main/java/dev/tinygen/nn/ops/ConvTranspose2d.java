package dev.tinygen.nn.ops;

import java.util.Arrays;
import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * 2-D transposed convolution ("deconvolution", as PyTorch's {@code conv_transpose2d}) over NCHW images: the
 * adjoint of {@link Conv2d} with the same weight, plus a bias. No dilation, no groups.
 *
 * <p>Shape: x (B, Cin, H, W), weight (Cin, Cout, kH, kW), bias (Cout) or null -> (B, Cout, Ho, Wo) with
 * {@code Ho = (H - 1) sH - 2 pH + kH + opH}, where the output padding {@code opH} (less than the stride) adds rows
 * at the bottom (and {@code opW} columns at the right) so that a strided {@link Conv2d} of the output shape maps
 * back onto H exactly.
 *
 * <p>Forward and backward are libnd4j's {@code deconv2d} and {@code deconv2d_bp}; their weight format 1 is
 * {@code [iC, oC, kH, kW]}, PyTorch's layout, so nothing is permuted. Those kernels have no output padding: when it
 * is non-zero the op computes the uncropped output {@code (H - 1) s + k} and cuts the PyTorch window out of it
 * (zeros where the window runs past it), and backward pads the gradient back the same way.
 */
public final class ConvTranspose2d extends Op {
    private Tensor x;
    private Tensor w;
    private Tensor b;
    private int pH;
    private int pW;
    private long ho;
    private long wo;
    /** Whether the window differs from what deconv2d computes with the given padding (output padding > 0). */
    private boolean windowed;
    private int[] iargs;

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
        this.pH = pH;
        this.pW = pW;
        long kH = w.size(2), kW = w.size(3);
        this.ho = outputSize(x.size(2), kH, sH, pH, opH);
        this.wo = outputSize(x.size(3), kW, sW, pW, opW);
        this.windowed = opH != 0 || opW != 0;
        long cout = w.size(1);
        INDArray y;
        if (!windowed) {
            this.iargs = new int[] {(int) kH, (int) kW, sH, sW, pH, pW, 1, 1, Conv2d.EXPLICIT_PADDING, Conv2d.NCHW, Conv2d.WEIGHTS_OIHW};
            y = Nd4j.createUninitialized(x.dtype(), x.size(0), cout, ho, wo);              // (B, Cout, Ho, Wo)
            DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("deconv2d");
            if (b == null) op.addInputs(x.value(), w.value());
            else op.addInputs(x.value(), w.value(), b.value());
            Nd4j.exec(op.addOutputs(y).addIntegerArguments(iargs).build());
        } else {
            this.iargs = new int[] {(int) kH, (int) kW, sH, sW, 0, 0, 1, 1, Conv2d.EXPLICIT_PADDING, Conv2d.NCHW, Conv2d.WEIGHTS_OIHW};
            long fh = outputSize(x.size(2), kH, sH, 0, 0), fw = outputSize(x.size(3), kW, sW, 0, 0);
            INDArray full = Nd4j.createUninitialized(x.dtype(), x.size(0), cout, fh, fw);  // (B, Cout, Fh, Fw)
            Nd4j.exec(DynamicCustomOp.builder("deconv2d").addInputs(x.value(), w.value()).addOutputs(full)
                    .addIntegerArguments(iargs).build());
            y = Nd4j.zeros(x.dtype(), x.size(0), cout, ho, wo);                             // (B, Cout, Ho, Wo)
            y.get(window(ho, wo, fh - pH, fw - pW)).assign(full.get(window(fh, fw, pH, pW, ho, wo)));
            if (b != null)
                Nd4j.exec(DynamicCustomOp.builder("biasadd").addInputs(y, b.value()).addOutputs(y)
                        .addBooleanArguments(true).build());
        }
        return b == null ? output(y, x, w) : output(y, x, w, b);
    }

    /** Rows [0, min(h, hLimit)) and columns [0, min(w, wLimit)) of an (h, w) image, all batches and channels. */
    private static INDArrayIndex[] window(long h, long w, long hLimit, long wLimit) {
        return new INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(0, Math.min(h, hLimit)), NDArrayIndex.interval(0, Math.min(w, wLimit))};
    }

    /** Rows [top, min(top + h, fullH)) and columns [left, min(left + w, fullW)) of an (fullH, fullW) image. */
    private static INDArrayIndex[] window(long fullH, long fullW, long top, long left, long h, long w) {
        return new INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(top, Math.min(top + h, fullH)), NDArrayIndex.interval(left, Math.min(left + w, fullW))};
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
        INDArray dx = Nd4j.createUninitialized(x.dtype(), x.shape());                    // (B, Cin, H, W)
        INDArray dw = Nd4j.createUninitialized(w.dtype(), w.shape());                    // (Cin, Cout, kH, kW)
        if (!windowed) {
            DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("deconv2d_bp");
            INDArray db = null;
            if (b == null) {
                op.addInputs(x.value(), w.value(), dy).addOutputs(dx, dw);
            } else {
                db = Nd4j.createUninitialized(b.dtype(), b.shape());                    // (Cout)
                op.addInputs(x.value(), w.value(), b.value(), dy).addOutputs(dx, dw, db);
            }
            Nd4j.exec(op.addIntegerArguments(iargs).build());
            if (b != null) accumulate(b, db);
        } else {
            long fh = outputSize(x.size(2), w.size(2), iargs[2], 0, 0);
            long fw = outputSize(x.size(3), w.size(3), iargs[3], 0, 0);
            INDArray dfull = Nd4j.zeros(dy.dataType(), dy.size(0), dy.size(1), fh, fw); // (B, Cout, Fh, Fw)
            dfull.get(window(fh, fw, pH, pW, ho, wo)).assign(dy.get(window(ho, wo, fh - pH, fw - pW)));
            Nd4j.exec(DynamicCustomOp.builder("deconv2d_bp").addInputs(x.value(), w.value(), dfull)
                    .addOutputs(dx, dw).addIntegerArguments(iargs).build());
            if (b != null && needsGrad(b)) accumulate(b, dy.sum(0, 2, 3));              // (Cout)
        }
        accumulate(x, dx);
        accumulate(w, dw);
    }
}
