package dev.tinygen.nn.ops;

import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Elementwise {@code x^p} for a constant exponent {@code p}. Non-integer powers of negative numbers are NaN.
 *
 * <p>Shape: any -> the same.
 */
public final class Pow extends Op {
    private Tensor x;
    private double p;

    public static Tensor apply(Tensor x, double p) {
        return new Pow().forward(x, p);
    }

    private Tensor forward(Tensor x, double p) {
        Floating.check("pow", x);
        if (!Double.isFinite(p)) throw new IllegalArgumentException("pow: the exponent must be finite, got " + p);
        this.x = x;
        this.p = p;
        INDArray v = x.value();
        INDArray y = p == 2 ? v.mul(v) : p == 1 ? v.dup() : Transforms.pow(v, p, true);
        return output(y, x);
    }

    @Override
    protected void backward(INDArray dy) {
        if (!needsGrad(x)) return;
        INDArray v = x.value();
        INDArray g;
        if (p == 0) g = Nd4j.zeros(dy.dataType(), v.shape()); // x^(p-1) would be 1/x: infinite at 0, and 0 * inf is NaN
        else if (p == 1) g = dy;
        else if (p == 2) g = dy.mul(v).muli(2);
        else g = Transforms.pow(v, p - 1, true).muli(p).muli(dy);
        accumulate(x, g);
    }
}
