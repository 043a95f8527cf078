package dev.tinygen.nn.ops;

import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Elementwise hyperbolic tangent. Backward uses the saved output, {@code 1 - y^2}, rather than a second tanh.
 *
 * <p>Shape: any -> the same.
 */
public final class Tanh extends Op {
    private Tensor x;
    private INDArray y;

    public static Tensor apply(Tensor x) {
        return new Tanh().forward(x);
    }

    private Tensor forward(Tensor x) {
        Floating.check("tanh", x);
        this.x = x;
        y = Transforms.tanh(x.value(), true);
        return output(y, x);
    }

    @Override
    protected void backward(INDArray dy) {
        if (needsGrad(x)) accumulate(x, y.mul(y).rsubi(1).muli(dy));
    }
}
