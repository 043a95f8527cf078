package dev.tinygen.nn.ops;

import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Binary cross-entropy of targets {@code z} in [0, 1] under {@code sigmoid(x)}, from the logits {@code x}:
 * {@code -(z log sigmoid(x) + (1 - z) log(1 - sigmoid(x)))}, averaged over all elements (or summed). Both operands
 * may take a gradient (soft targets, or a GAN's discriminator output on either side).
 *
 * <p>Shape: logits {@code (...)}, targets the same shape -> a scalar.
 *
 * <p>Computed as {@code max(x, 0) - x z + log(1 + exp(-|x|))}, which neither overflows for large {@code |x|} nor
 * takes {@code log(0)} where the sigmoid saturates. Backward: {@code dx = (sigmoid(x) - z) dy / n},
 * {@code dz = -x dy / n}. One Java pass in double arithmetic each way.
 */
public final class BceWithLogits extends Op {
    private Tensor logits;
    private Tensor targets;
    private DenseBuffer x;
    private DenseBuffer z;
    private double scale;

    public static Tensor apply(Tensor logits, Tensor targets) {
        return apply(logits, targets, Reduction.MEAN);
    }

    public static Tensor apply(Tensor logits, Tensor targets, Reduction reduction) {
        return new BceWithLogits().forward(logits, targets, reduction);
    }

    private Tensor forward(Tensor logits, Tensor targets, Reduction reduction) {
        MseLoss.checkPair("bceWithLogits", "logits", logits, targets, reduction);
        this.logits = logits;
        this.targets = targets;
        x = DenseBuffer.of(logits.value());
        z = DenseBuffer.of(targets.value());
        int n = x.length();
        scale = reduction == Reduction.SUM ? 1.0 : 1.0 / n;
        double s = 0;
        for (int i = 0; i < n; i++) {
            double xi = x.get(i);
            s += Math.max(xi, 0) - xi * z.get(i) + Math.log1p(Math.exp(-Math.abs(xi)));
        }
        return output(Nd4j.scalar(logits.dtype(), s * scale), logits, targets);
    }

    /** {@code 1 / (1 + exp(-x))} without overflowing {@code exp} for large negative x. */
    static double sigmoid(double x) {
        if (x >= 0) return 1 / (1 + Math.exp(-x));
        double e = Math.exp(x);
        return e / (1 + e);
    }

    @Override
    protected void backward(INDArray dy) {
        double g = dy.getDouble(0) * scale;
        int n = x.length();
        if (needsGrad(logits)) {
            DenseBuffer dx = DenseBuffer.uninitialized(logits.dtype(), logits.shape());
            for (int i = 0; i < n; i++) dx.set(i, (sigmoid(x.get(i)) - z.get(i)) * g);
            accumulate(logits, dx.as(logits.dtype()));
        }
        if (needsGrad(targets)) {
            DenseBuffer dz = DenseBuffer.uninitialized(targets.dtype(), targets.shape());
            for (int i = 0; i < n; i++) dz.set(i, -x.get(i) * g);
            accumulate(targets, dz.as(targets.dtype()));
        }
    }
}
