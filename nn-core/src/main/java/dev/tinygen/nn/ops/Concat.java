package dev.tinygen.nn.ops;

import java.util.Arrays;
import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Joins tensors along one axis; all other sizes must agree. Each input's gradient is its range of {@code dy}.
 *
 * <p>Shape: {@code (..., a_i, ...)} for each input -> {@code (..., sum a_i, ...)}.
 */
public final class Concat extends Op {
    private Tensor[] xs;
    private int axis;

    public static Tensor apply(int axis, Tensor... xs) {
        return new Concat().forward(axis, xs);
    }

    private Tensor forward(int axis, Tensor[] xs) {
        if (xs.length == 0) throw new IllegalArgumentException("concat: expected at least one tensor, got none");
        Tensor first = xs[0];
        int r = first.rank();
        int a = Checks.axis("concat", axis, r);
        for (int i = 1; i < xs.length; i++) {
            Checks.sameType("concat", first, xs[i]);
            boolean ok = xs[i].rank() == r;
            for (int d = 0; ok && d < r; d++) ok = d == a || xs[i].size(d) == first.size(d);
            if (!ok)
                throw new IllegalArgumentException("concat: along axis %d, input %d has shape %s, input 0 has shape %s"
                        .formatted(a, i, Arrays.toString(xs[i].shape()), Arrays.toString(first.shape())));
        }
        this.xs = xs.clone();
        this.axis = a;
        INDArray y;
        if (xs.length == 1) {
            y = first.value().dup();
        } else {
            INDArray[] vs = new INDArray[xs.length];
            for (int i = 0; i < xs.length; i++) vs[i] = xs[i].value();
            y = Nd4j.concat(a, vs);
        }
        return output(y, this.xs);
    }

    @Override
    protected void backward(INDArray dy) {
        long from = 0;
        for (Tensor t : xs) {
            long to = from + t.size(axis);
            if (needsGrad(t)) accumulate(t, dy.get(Slice.index(dy.rank(), axis, from, to)));
            from = to;
        }
    }
}
