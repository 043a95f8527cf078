package dev.tinygen.nn.layers;

import dev.tinygen.nn.Module;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;

/**
 * Inverted dropout as a layer: in training mode each element is zeroed with probability {@code p} and the rest
 * scaled by {@code 1 / (1 - p)}; in evaluation mode ({@link Module#eval()}) the input passes through unchanged.
 * Masks are drawn from the given {@link Rng}, so a model built and trained from one seed repeats exactly.
 *
 * <p>Shape: any -> the same.
 */
public final class Dropout extends Module {
    private final double p;
    private final Rng rng;

    public Dropout(double p, Rng rng) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        if (rng == null) throw new IllegalArgumentException("Dropout: rng must not be null");
        this.p = p;
        this.rng = rng;
    }

    public double p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0) return x;
        return dev.tinygen.nn.ops.Dropout.apply(x, p, rng);
    }

    @Override
    public String toString() {
        return "Dropout(p=" + p + ")";
    }
}
