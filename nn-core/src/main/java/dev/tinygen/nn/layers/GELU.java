package dev.tinygen.nn.layers;

import dev.tinygen.nn.Module;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.ops.Gelu;

/**
 * Gaussian error linear unit as a layer. {@link Approximation#NONE} uses the error function;
 * {@link Approximation#TANH} is GPT-2's tanh approximation (what GPT-2 checkpoints were trained with). The
 * no-argument constructor gives the exact form, as PyTorch's {@code nn.GELU()} does.
 *
 * <p>Shape: any -> the same.
 */
public final class GELU extends Module {
    /** Which formula: as PyTorch's {@code approximate='none'} or {@code 'tanh'}. */
    public enum Approximation { NONE, TANH }

    private final Approximation approximation;

    public GELU() {
        this(Approximation.NONE);
    }

    public GELU(Approximation approximation) {
        if (approximation == null) throw new IllegalArgumentException("GELU: approximation must not be null");
        this.approximation = approximation;
    }

    public Approximation approximation() {
        return approximation;
    }

    @Override
    public Tensor forward(Tensor x) {
        return approximation == Approximation.TANH ? Gelu.tanh(x) : Gelu.exact(x);
    }

    @Override
    public String toString() {
        return "GELU(approximation=" + approximation.name().toLowerCase() + ")";
    }
}
