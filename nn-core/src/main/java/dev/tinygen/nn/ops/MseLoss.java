package dev.tinygen.nn.ops;

import java.util.Arrays;
import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mean squared error {@code mean((prediction - target)^2)} over all elements, or the sum with {@link Reduction#SUM}.
 * Both operands may take a gradient.
 *
 * <p>Shape: prediction {@code (...)}, target the same shape -> a scalar. Shapes must match exactly: a broadcast
 * target is almost always a bug (PyTorch warns about it), so it is refused.
 *
 * <p>One Java pass in double arithmetic; backward {@code dprediction = 2 (prediction - target) dy / n},
 * {@code dtarget = -dprediction}.
 */
public final class MseLoss extends Op {
    private Tensor prediction;
    private Tensor target;
    private DenseBuffer p;
    private DenseBuffer t;
    private double scale;

    public static Tensor apply(Tensor prediction, Tensor target) {
        return apply(prediction, target, Reduction.MEAN);
    }

    public static Tensor apply(Tensor prediction, Tensor target, Reduction reduction) {
        return new MseLoss().forward(prediction, target, reduction);
    }

    private Tensor forward(Tensor prediction, Tensor target, Reduction reduction) {
        checkPair("mseLoss", "prediction", prediction, target, reduction);
        this.prediction = prediction;
        this.target = target;
        p = DenseBuffer.of(prediction.value());
        t = DenseBuffer.of(target.value());
        int n = p.length();
        scale = reduction == Reduction.SUM ? 1.0 : 1.0 / n;
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = p.get(i) - t.get(i);
            s += d * d;
        }
        return output(Nd4j.scalar(prediction.dtype(), s * scale), prediction, target);
    }

    /** The checks the elementwise losses share: floating, same type, same non-empty shape, a reduction. */
    static void checkPair(String op, String firstName, Tensor first, Tensor second, Reduction reduction) {
        if (!first.dtype().isFPType())
            throw new IllegalArgumentException("%s: expected a floating-point %s, got %s".formatted(op, firstName, first.dtype()));
        Checks.sameType(op, first, second);
        if (!Arrays.equals(first.shape(), second.shape()))
            throw new IllegalArgumentException("%s: expected operands of the same shape, got %s and %s"
                    .formatted(op, Arrays.toString(first.shape()), Arrays.toString(second.shape())));
        if (first.value().length() == 0)
            throw new IllegalArgumentException("%s: got empty operands of shape %s".formatted(op, Arrays.toString(first.shape())));
        if (reduction == null) throw new IllegalArgumentException(op + ": reduction must not be null");
    }

    @Override
    protected void backward(INDArray dy) {
        double g = 2 * dy.getDouble(0) * scale;
        int n = p.length();
        if (needsGrad(prediction)) {
            DenseBuffer dp = DenseBuffer.uninitialized(prediction.dtype(), prediction.shape());
            for (int i = 0; i < n; i++) dp.set(i, (p.get(i) - t.get(i)) * g);
            accumulate(prediction, dp.as(prediction.dtype()));
        }
        if (needsGrad(target)) {
            DenseBuffer dt = DenseBuffer.uninitialized(target.dtype(), target.shape());
            for (int i = 0; i < n; i++) dt.set(i, (t.get(i) - p.get(i)) * g);
            accumulate(target, dt.as(target.dtype()));
        }
    }
}
