package dev.tinygen.nn.layers;

import dev.tinygen.nn.Module;
import dev.tinygen.nn.Tensor;

/**
 * Hyperbolic tangent as a layer, for {@code Sequential} stacks.
 *
 * <p>Shape: any -> the same.
 */
public final class Tanh extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return dev.tinygen.nn.ops.Tanh.apply(x);
    }

    @Override
    public String toString() {
        return "Tanh";
    }
}
