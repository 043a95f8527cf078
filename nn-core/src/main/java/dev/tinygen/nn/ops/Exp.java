package dev.tinygen.nn.ops;

import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Elementwise {@code e^x}. Backward reuses the output, since {@code d/dx e^x = e^x}.
 *
 * <p>Shape: any -> the same.
 */
public final class Exp extends Op {
    private Tensor x;
    private INDArray y;

    public static Tensor apply(Tensor x) {
        return new Exp().forward(x);
    }

    private Tensor forward(Tensor x) {
        Floating.check("exp", x);
        this.x = x;
        y = Transforms.exp(x.value(), true);
        return output(y, x);
    }

    @Override
    protected void backward(INDArray dy) {
        if (needsGrad(x)) accumulate(x, dy.mul(y));
    }
}
