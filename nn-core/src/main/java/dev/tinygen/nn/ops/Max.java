package dev.tinygen.nn.ops;

import java.util.Arrays;
import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Maximum along one axis. The gradient goes to the element that was the maximum; among equal maxima, to the
 * first. A NaN counts as the maximum (the first NaN wins), so it propagates as in PyTorch.
 *
 * <p>The reduction runs as a plain loop over a row-major copy with the axis moved last, which makes the
 * tie rule explicit rather than whatever order a parallel argmax kernel happens to visit.
 *
 * <p>Shape: {@code (d0, ..., dk)} -> the same without {@code axis} (or with it as 1 when {@code keepDims}).
 */
public final class Max extends Op {
    private Tensor x;
    private int[] inverse;
    private long[] movedShape;
    private int[] argmax;
    private int n;

    /** Maximum along {@code axis} (negative counts from the end), the axis removed. */
    public static Tensor apply(Tensor x, int axis) {
        return apply(x, axis, false);
    }

    public static Tensor apply(Tensor x, int axis, boolean keepDims) {
        return new Max().forward(x, axis, keepDims);
    }

    private Tensor forward(Tensor x, int axis, boolean keepDims) {
        Floating.check("max", x);
        int r = x.rank();
        if (r == 0) throw new IllegalArgumentException("max: expected a tensor of rank 1 or more, got a scalar");
        int a = Checks.axis("max", axis, r);
        if (x.size(a) == 0)
            throw new IllegalArgumentException("max: axis %d is empty in shape %s".formatted(a, Arrays.toString(x.shape())));
        this.x = x;
        int[] order = new int[r];
        inverse = new int[r];
        for (int i = 0, j = 0; i < r; i++) if (i != a) order[j++] = i;
        order[r - 1] = a;
        for (int i = 0; i < r; i++) inverse[order[i]] = i;
        INDArray moved = x.value().permute(order).dup('c');                            // (..., d_axis)
        movedShape = moved.shape();
        double[] v = moved.data().asDouble();
        n = (int) x.size(a);
        int rows = v.length / n;
        argmax = new int[rows];
        double[] max = new double[rows];
        for (int row = 0; row < rows; row++) {
            int base = row * n;
            int best = 0;
            double bv = v[base];
            for (int k = 1; k < n && !Double.isNaN(bv); k++) {
                double c = v[base + k];
                if (c > bv || Double.isNaN(c)) {
                    bv = c;
                    best = k;
                }
            }
            argmax[row] = best;
            max[row] = bv;
        }
        long[] outShape = keepDims ? x.shape().clone() : new long[r - 1];
        if (keepDims) outShape[a] = 1;
        else for (int i = 0, j = 0; i < r; i++) if (i != a) outShape[j++] = x.size(i);
        return output(Nd4j.create(max, outShape, DataType.DOUBLE).castTo(x.dtype()), x);
    }

    @Override
    protected void backward(INDArray dy) {
        if (!needsGrad(x)) return;
        double[] d = dy.dup('c').data().asDouble();
        double[] g = new double[d.length * n];
        for (int row = 0; row < d.length; row++) g[row * n + argmax[row]] = d[row];
        INDArray moved = Nd4j.create(g, movedShape, DataType.DOUBLE).castTo(x.dtype());  // (..., d_axis)
        accumulate(x, moved.permute(inverse));
    }
}
