package dev.tinygen.nn.layers;

import java.util.Arrays;
import dev.tinygen.nn.Module;
import dev.tinygen.nn.Parameter;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Layer normalisation over the last dimension with a learned gain {@code weight} (ones) and {@code bias} (zeros),
 * as PyTorch's {@code nn.LayerNorm(C)}; neither takes weight decay. The computation is the fused
 * {@link dev.tinygen.nn.ops.LayerNorm} op.
 *
 * <p>Shape: {@code (..., C) -> (..., C)}.
 */
public final class LayerNorm extends Module {
    private final int normalizedShape;
    private final double eps;
    private final Parameter weight;
    private final Parameter bias;

    /** Float32, eps 1e-5 (PyTorch's default). */
    public LayerNorm(int normalizedShape) {
        this(normalizedShape, dev.tinygen.nn.ops.LayerNorm.DEFAULT_EPS, DataType.FLOAT);
    }

    public LayerNorm(int normalizedShape, double eps) {
        this(normalizedShape, eps, DataType.FLOAT);
    }

    public LayerNorm(int normalizedShape, double eps, DataType dtype) {
        if (normalizedShape <= 0)
            throw new IllegalArgumentException("LayerNorm: normalizedShape must be positive, got " + normalizedShape);
        if (!(eps >= 0) || Double.isInfinite(eps))
            throw new IllegalArgumentException("LayerNorm: eps must be finite and >= 0, got " + eps);
        if (!dtype.isFPType())
            throw new IllegalArgumentException("LayerNorm: expected a floating-point dtype, got " + dtype);
        this.normalizedShape = normalizedShape;
        this.eps = eps;
        this.weight = register("weight", new Parameter(Nd4j.ones(dtype, normalizedShape), false));
        this.bias = register("bias", new Parameter(Nd4j.zeros(dtype, normalizedShape), false));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() < 1 || x.size(x.rank() - 1) != normalizedShape)
            throw new IllegalArgumentException("layerNorm: expected last dimension %d, got %s"
                    .formatted(normalizedShape, Arrays.toString(x.shape())));
        return dev.tinygen.nn.ops.LayerNorm.apply(x, weight, bias, eps);
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public int normalizedShape() {
        return normalizedShape;
    }

    public double eps() {
        return eps;
    }
}
