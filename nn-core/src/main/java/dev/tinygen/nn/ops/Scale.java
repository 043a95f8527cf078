package dev.tinygen.nn.ops;

import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Elementwise {@code x * mul + add} with constant {@code mul} and {@code add}: scaling attention scores by
 * {@code 1/sqrt(hs)}, shifting, or both in one pass.
 *
 * <p>Shape: any -> the same.
 */
public final class Scale extends Op {
    private Tensor x;
    private double mul;

    public static Tensor apply(Tensor x, double mul, double add) {
        return new Scale().forward(x, mul, add);
    }

    /** {@code x * c}. */
    public static Tensor mul(Tensor x, double c) {
        return apply(x, c, 0);
    }

    /** {@code x + c}. */
    public static Tensor add(Tensor x, double c) {
        return apply(x, 1, c);
    }

    private Tensor forward(Tensor x, double mul, double add) {
        Floating.check("scale", x);
        if (!Double.isFinite(mul) || !Double.isFinite(add))
            throw new IllegalArgumentException("scale: factor and offset must be finite, got mul %s, add %s"
                    .formatted(mul, add));
        this.x = x;
        this.mul = mul;
        INDArray v = x.value();
        INDArray y = mul == 1 ? v.add(add) : add == 0 ? v.mul(mul) : v.mul(mul).addi(add);
        return output(y, x);
    }

    @Override
    protected void backward(INDArray dy) {
        if (needsGrad(x)) accumulate(x, mul == 1 ? dy : dy.mul(mul));
    }
}
