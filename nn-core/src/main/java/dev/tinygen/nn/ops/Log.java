package dev.tinygen.nn.ops;

import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Elementwise natural logarithm. Zero gives {@code -infinity} and negative inputs NaN, as in IEEE arithmetic.
 *
 * <p>Shape: any -> the same.
 */
public final class Log extends Op {
    private Tensor x;

    public static Tensor apply(Tensor x) {
        return new Log().forward(x);
    }

    private Tensor forward(Tensor x) {
        Floating.check("log", x);
        this.x = x;
        return output(Transforms.log(x.value(), true), x);
    }

    @Override
    protected void backward(INDArray dy) {
        if (needsGrad(x)) accumulate(x, dy.div(x.value()));
    }
}
