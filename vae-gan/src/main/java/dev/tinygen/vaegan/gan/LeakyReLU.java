package dev.tinygen.vaegan.gan;

import dev.tinygen.nn.Module;
import dev.tinygen.nn.Tensor;

/**
 * {@link LeakyRelu} as a layer, for {@code Sequential} stacks.
 *
 * <p>Shape: any -> the same.
 */
public final class LeakyReLU extends Module {
    private final double slope;

    public LeakyReLU(double slope) {
        if (!(slope >= 0 && slope < 1))
            throw new IllegalArgumentException("LeakyReLU: slope must be in [0, 1), got " + slope);
        this.slope = slope;
    }

    @Override
    public Tensor forward(Tensor x) {
        return LeakyRelu.apply(x, slope);
    }

    @Override
    public String toString() {
        return "LeakyReLU(" + slope + ")";
    }
}
