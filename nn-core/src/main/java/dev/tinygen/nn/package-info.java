/**
 * Tensors with reverse-mode autograd on ND4J, and the ops, layers, losses and optimizers built on them.
 *
 * <p>Shape letters, used in every {@code Shape:} line and every trailing shape comment:
 * <ul>
 *   <li>{@code B} batch, {@code T} time (sequence position), {@code C} channels (embedding width),</li>
 *   <li>{@code V} vocabulary, {@code nh} heads, {@code hs} head size ({@code C = nh * hs}),</li>
 *   <li>{@code N} rows of a 2-D input (often {@code B * T}), {@code H}, {@code W} image height and width.</li>
 * </ul>
 *
 * <p>How a value is computed and differentiated: a {@link dev.tinygen.nn.Tensor} holds an {@code INDArray},
 * an optional gradient and the {@link dev.tinygen.nn.Op} that made it. An op's {@code forward} and
 * {@code backward} stand side by side; backward adds into gradients. {@link dev.tinygen.nn.Tensor#backward()}
 * walks the recorded graph once in reverse topological order. {@link dev.tinygen.nn.NoGrad} turns recording off.
 */
package dev.tinygen.nn;
