package dev.tinygen.transformer;

import dev.tinygen.nn.Module;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.layers.LayerNorm;

/**
 * One pre-norm transformer block: {@code x + attn(ln_1(x))}, then {@code x + mlp(ln_2(x))}. The residual stream
 * carries x through unchanged; each branch adds what it learned.
 *
 * <p>Shape: x (B, T, C) -> (B, T, C).
 */
public final class Block extends Module {
    private final LayerNorm ln1;
    private final MultiHeadAttention attn;
    private final LayerNorm ln2;
    private final FeedForward mlp;

    public Block(GptConfig cfg, Rng rng) {
        this.ln1 = register("ln_1", new LayerNorm(cfg.nEmbd()));
        this.attn = register("attn", cfg.nHead() == 1
                ? new SelfAttention(cfg.nEmbd(), cfg.dropout(), cfg.positions() == PositionalEncoding.ROTARY, rng)
                : new MultiHeadAttention(cfg.nEmbd(), cfg.nHead(), cfg.dropout(),
                        cfg.positions() == PositionalEncoding.ROTARY, rng));
        this.ln2 = register("ln_2", new LayerNorm(cfg.nEmbd()));
        this.mlp = register("mlp", new FeedForward(cfg.nEmbd(), cfg.dropout(), rng));
    }

    public MultiHeadAttention attention() {
        return attn;
    }

    FeedForward mlp() {
        return mlp;
    }

    LayerNorm ln1() {
        return ln1;
    }

    LayerNorm ln2() {
        return ln2;
    }

    @Override
    public Tensor forward(Tensor x) {
        x = x.add(attn.forward(ln1.forward(x)));                                        // (B, T, C)
        return x.add(mlp.forward(ln2.forward(x)));                                      // (B, T, C)
    }

    Tensor forwardPrefill(Tensor x, KvCache.Layer cache) {
        x = x.add(attn.forwardPrefill(ln1.forward(x), cache));                          // (B, T, C)
        return x.add(mlp.forward(ln2.forward(x)));
    }

    Tensor forwardCached(Tensor x, KvCache.Layer cache, int pos) {
        x = x.add(attn.forwardCached(ln1.forward(x), cache, pos));                      // (B, 1, C)
        return x.add(mlp.forward(ln2.forward(x)));
    }
}
