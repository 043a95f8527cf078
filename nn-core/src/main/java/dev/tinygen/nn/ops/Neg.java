package dev.tinygen.nn.ops;

import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Elementwise {@code -x}.
 *
 * <p>Shape: any -> the same.
 */
public final class Neg extends Op {
    private Tensor x;

    public static Tensor apply(Tensor x) {
        return new Neg().forward(x);
    }

    private Tensor forward(Tensor x) {
        Floating.check("neg", x);
        this.x = x;
        return output(x.value().neg(), x);
    }

    @Override
    protected void backward(INDArray dy) {
        if (needsGrad(x)) accumulate(x, dy.neg());
    }
}
