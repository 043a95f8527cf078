package dev.tinygen.nn.ops;

import java.util.Arrays;
import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The same elements in a new shape (row-major order); one dimension may be -1 and is inferred. */
public final class Reshape extends Op {
    private Tensor x;
    private long[] inShape;

    public static Tensor apply(Tensor x, long... shape) {
        return new Reshape().forward(x, shape);
    }

    private Tensor forward(Tensor x, long[] shape) {
        long known = 1;
        int infer = -1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: at most one -1 allowed, got " + Arrays.toString(shape));
                infer = i;
            } else if (shape[i] <= 0) {
                throw new IllegalArgumentException("reshape: sizes must be positive or -1, got " + Arrays.toString(shape));
            } else {
                known *= shape[i];
            }
        }
        long n = x.value().length();
        long[] target = shape.clone();
        if (infer >= 0) {
            if (n % known != 0)
                throw new IllegalArgumentException("reshape: cannot reshape %s (%d elements) into %s"
                        .formatted(Arrays.toString(x.shape()), n, Arrays.toString(shape)));
            target[infer] = n / known;
        } else if (known != n) {
            throw new IllegalArgumentException("reshape: cannot reshape %s (%d elements) into %s (%d elements)"
                    .formatted(Arrays.toString(x.shape()), n, Arrays.toString(shape), known));
        }
        this.x = x;
        inShape = x.shape();
        return output(x.value().reshape('c', target), x);
    }

    @Override
    protected void backward(INDArray dy) {
        accumulate(x, dy.reshape('c', inShape));
    }
}
