package dev.tinygen.nn.ops;

import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Elementwise logistic function {@code 1 / (1 + e^-x)}. Backward uses the saved output, {@code y (1 - y)}.
 *
 * <p>Shape: any -> the same.
 */
public final class Sigmoid extends Op {
    private Tensor x;
    private INDArray y;

    public static Tensor apply(Tensor x) {
        return new Sigmoid().forward(x);
    }

    private Tensor forward(Tensor x) {
        Floating.check("sigmoid", x);
        this.x = x;
        y = Transforms.sigmoid(x.value(), true);
        return output(y, x);
    }

    @Override
    protected void backward(INDArray dy) {
        if (needsGrad(x)) accumulate(x, y.rsub(1).muli(y).muli(dy));
    }
}
