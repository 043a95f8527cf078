package dev.tinygen.nn.layers;

import dev.tinygen.nn.Module;
import dev.tinygen.nn.Tensor;

/**
 * The logistic function {@code 1 / (1 + e^-x)} as a layer, e.g. the last layer of a decoder whose outputs are
 * pixel intensities in (0, 1).
 *
 * <p>Shape: any -> the same.
 */
public final class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return dev.tinygen.nn.ops.Sigmoid.apply(x);
    }

    @Override
    public String toString() {
        return "Sigmoid";
    }
}
