package dev.tinygen.nn.ops;

import dev.tinygen.nn.Broadcast;
import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Elementwise {@code a + b}. Shapes broadcast as in NumPy; the gradient is summed back to each operand's shape. */
public final class Add extends Op {
    private Tensor a;
    private Tensor b;

    public static Tensor apply(Tensor a, Tensor b) {
        return new Add().forward(a, b);
    }

    private Tensor forward(Tensor a, Tensor b) {
        Checks.sameType("add", a, b);
        int rank = Broadcast.shape("add", a.shape(), b.shape()).length;
        this.a = a;
        this.b = b;
        return output(Broadcast.toRank(a.value(), rank).add(Broadcast.toRank(b.value(), rank)), a, b);
    }

    @Override
    protected void backward(INDArray dy) {
        accumulate(a, dy);
        accumulate(b, dy);
    }
}
