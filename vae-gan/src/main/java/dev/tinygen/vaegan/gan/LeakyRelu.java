package dev.tinygen.vaegan.gan;

import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Elementwise leaky ReLU, {@code x} where {@code x > 0} and {@code slope * x} elsewhere. A GAN's discriminator uses
 * it (slope 0.2) so that fake images far on the negative side still pass a gradient back to the generator.
 *
 * <p>Shape: any -> the same.
 *
 * <p>Forward is libnd4j's {@code leakyrelu} transform, backward its fused {@code lrelu_bp}
 * ({@code dx = dy} where {@code x > 0}, {@code slope dy} elsewhere), both checked against finite differences.
 */
public final class LeakyRelu extends Op {
    private Tensor x;
    private double slope;

    public static Tensor apply(Tensor x, double slope) {
        return new LeakyRelu().forward(x, slope);
    }

    private Tensor forward(Tensor x, double slope) {
        if (!x.dtype().isFPType())
            throw new IllegalArgumentException("leakyRelu: expected a floating-point tensor, got " + x.dtype());
        if (!(slope >= 0 && slope < 1))
            throw new IllegalArgumentException("leakyRelu: slope must be in [0, 1), got " + slope);
        this.x = x;
        this.slope = slope;
        return output(Transforms.leakyRelu(x.value(), slope, true), x);
    }

    @Override
    protected void backward(INDArray dy) {
        if (!needsGrad(x)) return;
        INDArray dx = Nd4j.createUninitialized(dy.dataType(), dy.shape());
        Nd4j.exec(DynamicCustomOp.builder("lrelu_bp").addInputs(x.value(), dy).addOutputs(dx)
                .addFloatingPointArguments(slope).build());
        accumulate(x, dx);
    }
}
