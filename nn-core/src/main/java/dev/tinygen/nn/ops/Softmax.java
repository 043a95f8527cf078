package dev.tinygen.nn.ops;

import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code y = exp(x) / sum(exp(x))} along one axis (the last by default).
 *
 * <p>Shape: x {@code (...)} -> y, same shape.
 *
 * <p>Forward and backward are libnd4j's {@code softmax} and {@code softmax_bp} kernels. {@code softmax_bp} must be
 * given the pre-softmax input x (given the output y it is wrong, ND4J-NOTES.md), so backward keeps x, which the
 * graph holds anyway, and saves nothing else.
 */
public final class Softmax extends Op {
    private Tensor x;
    private int axis;

    public static Tensor apply(Tensor x) {
        return apply(x, -1);
    }

    public static Tensor apply(Tensor x, int axis) {
        return new Softmax().forward(x, axis);
    }

    private Tensor forward(Tensor x, int axis) {
        if (!x.dtype().isFPType())
            throw new IllegalArgumentException("softmax: expected a floating-point input, got " + x.dtype());
        if (x.rank() < 1) throw new IllegalArgumentException("softmax: expected an input of rank 1 or more, got a scalar");
        this.x = x;
        this.axis = Checks.axis("softmax", axis, x.rank());
        INDArray y = Nd4j.createUninitialized(x.dtype(), x.shape(), 'c');
        Nd4j.exec(DynamicCustomOp.builder("softmax").addInputs(x.value()).addOutputs(y)
                .addIntegerArguments(this.axis).build());
        return output(y, x);
    }

    @Override
    protected void backward(INDArray dy) {
        if (!needsGrad(x)) return;
        INDArray dx = Nd4j.createUninitialized(x.dtype(), x.shape(), 'c');
        Nd4j.exec(DynamicCustomOp.builder("softmax_bp").addInputs(x.value(), dy).addOutputs(dx)
                .addIntegerArguments(axis).build());
        accumulate(x, dx);
    }
}
