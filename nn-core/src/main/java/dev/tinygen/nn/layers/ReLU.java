package dev.tinygen.nn.layers;

import dev.tinygen.nn.Module;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.ops.Relu;

/**
 * {@code max(x, 0)} as a layer, for {@code Sequential} stacks.
 *
 * <p>Shape: any -> the same.
 */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Relu.apply(x);
    }

    @Override
    public String toString() {
        return "ReLU";
    }
}
