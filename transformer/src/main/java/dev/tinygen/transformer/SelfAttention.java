package dev.tinygen.transformer;

import dev.tinygen.nn.Rng;

/**
 * Single-head causal self-attention: the one-head case of {@link MultiHeadAttention}, where the whole C-wide vector
 * forms one query, one key and one value.
 *
 * <p>Shape: x (B, T, C) -> (B, T, C).
 */
public final class SelfAttention extends MultiHeadAttention {
    public SelfAttention(int nEmbd, double dropout, boolean rotary, Rng rng) {
        super(nEmbd, 1, dropout, rotary, rng);
    }
}
