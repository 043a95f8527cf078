package dev.tinygen.nn.ops;

import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code y = x - max(x) - log(sum(exp(x - max(x))))} along one axis (the last by default): the logarithm of
 * {@link Softmax}, without overflow for large inputs or {@code log(0)} for very negative ones.
 *
 * <p>Shape: x {@code (...)} -> y, same shape.
 *
 * <p>A Java kernel over the row-major buffer, in double arithmetic. libnd4j's {@code log_softmax} is not used:
 * it takes the log of a softmax that has underflowed, giving {@code -inf} for an input 1000 below its row's
 * maximum where the answer is finite. Backward is {@code dx = dy - exp(y) * sum(dy)} from the saved output.
 */
public final class LogSoftmax extends Op {
    private Tensor x;
    private DenseBuffer y;
    private int axis;

    public static Tensor apply(Tensor x) {
        return apply(x, -1);
    }

    public static Tensor apply(Tensor x, int axis) {
        return new LogSoftmax().forward(x, axis);
    }

    private Tensor forward(Tensor x, int axis) {
        if (!x.dtype().isFPType())
            throw new IllegalArgumentException("logSoftmax: expected a floating-point input, got " + x.dtype());
        if (x.rank() < 1) throw new IllegalArgumentException("logSoftmax: expected an input of rank 1 or more, got a scalar");
        this.x = x;
        this.axis = Checks.axis("logSoftmax", axis, x.rank());
        DenseBuffer in = DenseBuffer.of(x.value());
        y = DenseBuffer.uninitialized(x.dtype(), x.shape());
        int n = (int) x.size(this.axis);
        int inner = inner(x.shape(), this.axis);
        int outer = n * inner == 0 ? 0 : in.length() / (n * inner);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;                 // element j of this line is at base + j * inner
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) max = Math.max(max, in.get(base + j * inner));
                double s = 0;
                for (int j = 0; j < n; j++) s += Math.exp(in.get(base + j * inner) - max);
                double shift = max + Math.log(s);
                for (int j = 0; j < n; j++) y.set(base + j * inner, in.get(base + j * inner) - shift);
            }
        }
        return output(y.as(x.dtype()), x);
    }

    /** The number of elements after {@code axis}: the stride between neighbours along it in a row-major array. */
    static int inner(long[] shape, int axis) {
        long p = 1;
        for (int d = axis + 1; d < shape.length; d++) p *= shape[d];
        return (int) p;
    }

    @Override
    protected void backward(INDArray dyArray) {
        if (!needsGrad(x)) return;
        DenseBuffer dy = DenseBuffer.of(dyArray);
        DenseBuffer dx = DenseBuffer.uninitialized(x.dtype(), x.shape());
        int n = (int) x.size(axis);
        int inner = inner(x.shape(), axis);
        int outer = n * inner == 0 ? 0 : dy.length() / (n * inner);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                double s = 0;
                for (int j = 0; j < n; j++) s += dy.get(base + j * inner);
                for (int j = 0; j < n; j++) {
                    int k = base + j * inner;
                    dx.set(k, dy.get(k) - Math.exp(y.get(k)) * s);
                }
            }
        }
        accumulate(x, dx.as(x.dtype()));
    }
}
