package dev.tinygen.nn.ops;

import java.util.Arrays;
import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cross-entropy of integer class targets under softmax(logits): {@code -log softmax(logits)[target]} per position,
 * averaged over the positions whose target is not {@code ignoreIndex} (PyTorch's {@code cross_entropy}), or summed.
 *
 * <p>Shape: logits {@code (N, V)} or {@code (B, T, V)} (any {@code (..., V)}), targets {@code (N)} or {@code (B, T)}
 * (the logits' shape without V) -> a scalar. An {@code int[]} of targets lists the positions in row-major order.
 *
 * <p>A fused Java kernel in double arithmetic: per row the stable {@code logsumexp}, saved for backward, whose
 * gradient is {@code (softmax - onehot) * dy / count}. It is the composition {@link LogSoftmax} -> pick -> mean in
 * one pass, without the (N, V) log-probabilities. When every target is ignored the mean is 0 with a zero gradient,
 * not PyTorch's NaN (0/0): a batch that is all padding is legitimate input, and a NaN would reach every parameter
 * through the optimizer.
 */
public final class CrossEntropy extends Op {
    /** PyTorch's default: no real class has this index, so nothing is ignored unless targets use it. */
    public static final int DEFAULT_IGNORE_INDEX = -100;

    private Tensor logits;
    private DenseBuffer x;
    private int[] targets;
    private int ignoreIndex;
    private double[] logSumExp;
    private int count;
    private Reduction reduction;

    public static Tensor apply(Tensor logits, INDArray targets) {
        return apply(logits, targets, DEFAULT_IGNORE_INDEX, Reduction.MEAN);
    }

    public static Tensor apply(Tensor logits, INDArray targets, int ignoreIndex) {
        return apply(logits, targets, ignoreIndex, Reduction.MEAN);
    }

    /** Targets of any integer type, shaped like the logits without their last dimension. */
    public static Tensor apply(Tensor logits, INDArray targets, int ignoreIndex, Reduction reduction) {
        checkLogits(logits);
        if (!targets.dataType().isIntType())
            throw new IllegalArgumentException("crossEntropy: targets must be an integer array, got " + targets.dataType());
        long[] expected = Arrays.copyOf(logits.shape(), logits.rank() - 1);
        if (!Arrays.equals(expected, targets.shape()))
            throw new IllegalArgumentException("crossEntropy: expected targets of shape %s for logits %s, got %s"
                    .formatted(Arrays.toString(expected), Arrays.toString(logits.shape()),
                            Arrays.toString(targets.shape())));
        long[] wide = targets.castTo(DataType.LONG).reshape('c', new long[] {targets.length()}).toLongVector();
        int[] t = new int[wide.length];
        long vocab = logits.size(logits.rank() - 1);
        for (int i = 0; i < wide.length; i++) {
            if (wide[i] != ignoreIndex && (wide[i] < 0 || wide[i] >= vocab)) throw outside(wide[i], i, vocab);
            t[i] = (int) wide[i];
        }
        return new CrossEntropy().forward(logits, t, ignoreIndex, reduction);
    }

    public static Tensor apply(Tensor logits, int[] targets) {
        return apply(logits, targets, DEFAULT_IGNORE_INDEX, Reduction.MEAN);
    }

    public static Tensor apply(Tensor logits, int[] targets, int ignoreIndex) {
        return apply(logits, targets, ignoreIndex, Reduction.MEAN);
    }

    /** Targets for the logits' rows in row-major order: as many as the logits have positions. */
    public static Tensor apply(Tensor logits, int[] targets, int ignoreIndex, Reduction reduction) {
        checkLogits(logits);
        long rows = logits.value().length() / logits.size(logits.rank() - 1);
        if (targets.length != rows)
            throw new IllegalArgumentException("crossEntropy: expected %d targets for logits %s, got %d"
                    .formatted(rows, Arrays.toString(logits.shape()), targets.length));
        long vocab = logits.size(logits.rank() - 1);
        for (int i = 0; i < targets.length; i++)
            if (targets[i] != ignoreIndex && (targets[i] < 0 || targets[i] >= vocab)) throw outside(targets[i], i, vocab);
        return new CrossEntropy().forward(logits, targets.clone(), ignoreIndex, reduction);  // the caller may reuse its array
    }

    private static void checkLogits(Tensor logits) {
        if (!logits.dtype().isFPType())
            throw new IllegalArgumentException("crossEntropy: expected floating-point logits, got " + logits.dtype());
        if (logits.rank() < 2 || logits.size(logits.rank() - 1) == 0 || logits.value().length() == 0)
            throw new IllegalArgumentException("crossEntropy: expected logits of shape (N, V) or (B, T, V), got "
                    + Arrays.toString(logits.shape()));
    }

    private static IllegalArgumentException outside(long target, int position, long vocab) {
        return new IllegalArgumentException("crossEntropy: target %d at position %d is outside the vocabulary of %d"
                .formatted(target, position, vocab));
    }

    private Tensor forward(Tensor logits, int[] targets, int ignoreIndex, Reduction reduction) {
        if (reduction == null) throw new IllegalArgumentException("crossEntropy: reduction must not be null");
        this.logits = logits;
        this.targets = targets;
        this.ignoreIndex = ignoreIndex;
        this.reduction = reduction;
        x = DenseBuffer.of(logits.value());
        int v = (int) logits.size(logits.rank() - 1);
        logSumExp = new double[targets.length];
        double total = 0;
        for (int r = 0, base = 0; r < targets.length; r++, base += v) {
            if (targets[r] == ignoreIndex) continue;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < v; j++) max = Math.max(max, x.get(base + j));
            double s = 0;
            for (int j = 0; j < v; j++) s += Math.exp(x.get(base + j) - max);
            double lse = max + Math.log(s);
            logSumExp[r] = lse;
            total += lse - x.get(base + targets[r]);
            count++;
        }
        double loss = reduction == Reduction.SUM ? total : count == 0 ? 0.0 : total / count;
        return output(Nd4j.scalar(logits.dtype(), loss), logits);
    }

    @Override
    protected void backward(INDArray dy) {
        if (!needsGrad(logits)) return;
        double g = dy.getDouble(0);
        double scale = reduction == Reduction.SUM ? g : count == 0 ? 0.0 : g / count;
        int v = (int) logits.size(logits.rank() - 1);
        DenseBuffer dx = DenseBuffer.uninitialized(logits.dtype(), logits.shape());
        for (int r = 0, base = 0; r < targets.length; r++, base += v) {
            if (targets[r] == ignoreIndex) {
                for (int j = 0; j < v; j++) dx.set(base + j, 0.0);
                continue;
            }
            double lse = logSumExp[r];
            for (int j = 0; j < v; j++) dx.set(base + j, Math.exp(x.get(base + j) - lse) * scale);
            int t = base + targets[r];
            dx.set(t, (Math.exp(x.get(t) - lse) - 1) * scale);  // in double: p - 1 loses nothing to rounding p first
        }
        accumulate(logits, dx.as(logits.dtype()));
    }
}
