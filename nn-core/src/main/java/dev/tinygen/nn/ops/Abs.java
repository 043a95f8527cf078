package dev.tinygen.nn.ops;

import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Elementwise {@code |x|}. The gradient is {@code sign(x)}, taken as 0 at 0 (as PyTorch does).
 *
 * <p>Shape: any -> the same.
 */
public final class Abs extends Op {
    private Tensor x;

    public static Tensor apply(Tensor x) {
        return new Abs().forward(x);
    }

    private Tensor forward(Tensor x) {
        Floating.check("abs", x);
        this.x = x;
        return output(Transforms.abs(x.value(), true), x);
    }

    @Override
    protected void backward(INDArray dy) {
        if (needsGrad(x)) accumulate(x, Transforms.sign(x.value(), true).muli(dy));
    }
}
