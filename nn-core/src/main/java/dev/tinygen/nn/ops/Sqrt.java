package dev.tinygen.nn.ops;

import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Elementwise square root. Backward reuses the output: {@code d/dx sqrt(x) = 1 / (2 sqrt(x))}.
 *
 * <p>Shape: any -> the same.
 */
public final class Sqrt extends Op {
    private Tensor x;
    private INDArray y;

    public static Tensor apply(Tensor x) {
        return new Sqrt().forward(x);
    }

    private Tensor forward(Tensor x) {
        Floating.check("sqrt", x);
        this.x = x;
        y = Transforms.sqrt(x.value(), true);
        return output(y, x);
    }

    @Override
    protected void backward(INDArray dy) {
        if (needsGrad(x)) accumulate(x, dy.div(y).muli(0.5));
    }
}
