package dev.tinygen.transformer;

import dev.tinygen.nn.Module;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.layers.Dropout;
import dev.tinygen.nn.layers.Linear;
import dev.tinygen.nn.ops.Gelu;

/**
 * The position-wise MLP of a block: widen to 4C, GELU (GPT-2's tanh approximation), project back to C. Attention
 * moves information between positions; this is where each position computes on what it gathered.
 *
 * <p>Shape: x (B, T, C) -> (B, T, C). Parameters: {@code c_fc} (C, 4C), {@code c_proj} (4C, C).
 */
public final class FeedForward extends Module {
    private final Linear cFc;
    private final Linear cProj;
    private final Dropout dropout;

    public FeedForward(int nEmbd, double dropout, Rng rng) {
        this.cFc = register("c_fc", new Linear(nEmbd, 4 * nEmbd, rng));
        this.cProj = register("c_proj", new Linear(4 * nEmbd, nEmbd, rng));
        this.dropout = register("dropout", new Dropout(dropout, rng));
    }

    Linear cProj() {
        return cProj;
    }

    Linear cFc() {
        return cFc;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = Gelu.tanh(cFc.forward(x));                                           // (B, T, 4C)
        return dropout.forward(cProj.forward(h));                                       // (B, T, C)
    }
}
