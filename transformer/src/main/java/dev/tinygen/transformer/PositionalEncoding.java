package dev.tinygen.transformer;

/**
 * How a GPT tells positions apart. Attention itself is blind to order; each kind adds order differently.
 * <ul>
 *   <li>{@link #LEARNED}: a trained (blockSize, C) table added to the token embeddings (GPT-2's {@code wpe}).</li>
 *   <li>{@link #SINUSOIDAL}: the fixed table of "Attention Is All You Need": PE[p, 2i] = sin(p / 10000^(2i/C)),
 *       PE[p, 2i+1] = cos(p / 10000^(2i/C)), added to the token embeddings; nothing to learn.</li>
 *   <li>{@link #ROTARY}: no table; queries and keys are rotated by a position-dependent angle inside every attention
 *       layer, so scores depend on relative position (RoFormer).</li>
 *   <li>{@link #NONE}: no position information at all (for the demo of what breaks without it).</li>
 * </ul>
 */
public enum PositionalEncoding {
    LEARNED, SINUSOIDAL, ROTARY, NONE
}
