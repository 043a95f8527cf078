package dev.tinygen.nn.ops;

import java.util.Arrays;
import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sum over the given axes (all axes when none are given, giving a scalar). With {@code keepDims} the summed
 * axes stay as size 1.
 */
public final class Sum extends Op {
    private Tensor x;
    private long[] keptShape;

    public static Tensor all(Tensor x) {
        return new Sum().forward(x, false, new int[0]);
    }

    public static Tensor apply(Tensor x, boolean keepDims, int... axes) {
        return new Sum().forward(x, keepDims, axes);
    }

    private Tensor forward(Tensor x, boolean keepDims, int[] axes) {
        this.x = x;
        int r = x.rank();
        int[] ax = new int[axes.length];
        for (int i = 0; i < axes.length; i++) ax[i] = Checks.axis("sum", axes[i], r);
        long[] kept = x.shape().clone();
        if (ax.length == 0) Arrays.fill(kept, 1);
        for (int a : ax) kept[a] = 1;
        keptShape = kept;
        INDArray s = ax.length == 0 ? x.value().sum() : x.value().sum(keepDims, ax);
        if (ax.length == 0 && keepDims) s = s.reshape(kept);
        return output(s, x);
    }

    /** Spreads {@code dy} back over the summed axes: every summed element receives the same gradient. */
    static INDArray expand(INDArray dy, long[] keptShape, long[] inShape) {
        INDArray g = Nd4j.zeros(dy.dataType(), inShape);
        return g.addi(dy.reshape('c', keptShape));
    }

    @Override
    protected void backward(INDArray dy) {
        accumulate(x, expand(dy, keptShape, x.shape()));
    }
}
