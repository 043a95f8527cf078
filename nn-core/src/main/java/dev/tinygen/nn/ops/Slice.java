package dev.tinygen.nn.ops;

import java.util.Arrays;
import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The half-open range {@code [from, to)} of one axis, every other axis whole. The result is a view of the
 * input's value (no copy); the gradient is {@code dy} placed in that range of a zero array.
 *
 * <p>Shape: {@code (..., d_axis, ...)} -> {@code (..., to - from, ...)}.
 */
public final class Slice extends Op {
    private Tensor x;
    private INDArrayIndex[] range;

    public static Tensor apply(Tensor x, int axis, long from, long to) {
        return new Slice().forward(x, axis, from, to);
    }

    private Tensor forward(Tensor x, int axis, long from, long to) {
        int a = Checks.axis("slice", axis, x.rank());
        long size = x.size(a);
        if (from < 0 || to > size || from >= to)
            throw new IllegalArgumentException("slice: range [%d, %d) is not a non-empty part of axis %d (size %d) of shape %s"
                    .formatted(from, to, a, size, Arrays.toString(x.shape())));
        this.x = x;
        range = index(x.rank(), a, from, to);
        return output(x.value().get(range), x);
    }

    /** Every axis whole except {@code axis}, which is cut to {@code [from, to)}. */
    static INDArrayIndex[] index(int rank, int axis, long from, long to) {
        INDArrayIndex[] idx = new INDArrayIndex[rank];
        for (int i = 0; i < rank; i++) idx[i] = i == axis ? NDArrayIndex.interval(from, to) : NDArrayIndex.all();
        return idx;
    }

    @Override
    protected void backward(INDArray dy) {
        if (!needsGrad(x)) return;
        INDArray g = Nd4j.zeros(dy.dataType(), x.shape());
        g.get(range).assign(dy);
        accumulate(x, g);
    }
}
