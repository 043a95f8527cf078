package dev.tinygen.nn.ops;

import java.util.Arrays;
import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Mean over the given axes (all axes when none are given, giving a scalar). With {@code keepDims} the averaged
 * axes stay as size 1. Every averaged element receives {@code dy / count}.
 *
 * <p>Shape: {@code (d0, ..., dk)} -> the same without the averaged axes (or with them as 1).
 */
public final class Mean extends Op {
    private Tensor x;
    private long[] keptShape;
    private long count;

    /** Mean of all elements, a scalar. */
    public static Tensor all(Tensor x) {
        return new Mean().forward(x, false, new int[0]);
    }

    public static Tensor apply(Tensor x, boolean keepDims, int... axes) {
        return new Mean().forward(x, keepDims, axes);
    }

    private Tensor forward(Tensor x, boolean keepDims, int[] axes) {
        Floating.check("mean", x);
        int r = x.rank();
        int[] ax = new int[axes.length];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < axes.length; i++) {
            ax[i] = Checks.axis("mean", axes[i], r);
            if (seen[ax[i]])
                throw new IllegalArgumentException("mean: axis %d is listed twice in %s"
                        .formatted(ax[i], Arrays.toString(axes)));
            seen[ax[i]] = true;
        }
        this.x = x;
        long[] kept = x.shape().clone();
        if (ax.length == 0) Arrays.fill(kept, 1);
        for (int a : ax) kept[a] = 1;
        keptShape = kept;
        count = x.value().length() / Math.max(1, Arrays.stream(kept).reduce(1, (p, q) -> p * q));
        INDArray m = ax.length == 0 ? x.value().mean() : x.value().mean(keepDims, ax);
        if (ax.length == 0 && keepDims) m = m.reshape(kept);
        return output(m, x);
    }

    @Override
    protected void backward(INDArray dy) {
        if (needsGrad(x)) accumulate(x, Sum.expand(dy, keptShape, x.shape()).divi(count));
    }
}
