package dev.tinygen.nn.ops;

import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Elementwise {@code max(x, 0)}. The gradient passes where {@code x > 0} and is 0 elsewhere (0 at 0).
 *
 * <p>Shape: any -> the same.
 */
public final class Relu extends Op {
    private Tensor x;

    public static Tensor apply(Tensor x) {
        return new Relu().forward(x);
    }

    private Tensor forward(Tensor x) {
        Floating.check("relu", x);
        this.x = x;
        return output(Transforms.relu(x.value(), true), x);
    }

    @Override
    protected void backward(INDArray dy) {
        if (!needsGrad(x)) return;
        INDArray dx = Nd4j.createUninitialized(dy.dataType(), dy.shape());
        // one fused pass: dx = x > 0 ? dy : 0
        Nd4j.exec(DynamicCustomOp.builder("relu_bp").addInputs(x.value(), dy).addOutputs(dx).build());
        accumulate(x, dx);
    }
}
