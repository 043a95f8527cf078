/**
 * Layers: {@link dev.tinygen.nn.Module}s that compose ops and are written forward-only; their gradients come from
 * the ops they use.
 *
 * <p>Shape letters, used in every {@code Shape:} line and trailing shape comment (the same as in
 * {@link dev.tinygen.nn}):
 * <ul>
 *   <li>{@code B} batch, {@code T} time (sequence position), {@code C} channels (embedding width),</li>
 *   <li>{@code V} vocabulary, {@code nh} heads, {@code hs} head size ({@code C = nh * hs}),</li>
 *   <li>{@code N} rows of a 2-D input (often {@code B * T}), {@code H}, {@code W} image height and width,</li>
 *   <li>{@code in}, {@code out} a layer's input and output features.</li>
 * </ul>
 * {@code (..., in)} means any leading dimensions followed by {@code in}.
 */
package dev.tinygen.nn.layers;
