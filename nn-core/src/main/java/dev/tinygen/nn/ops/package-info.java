/**
 * Differentiable operations, one class per op, each with its forward and backward side by side and a static
 * {@code apply} factory. Shape letters are those of {@link dev.tinygen.nn}.
 */
package dev.tinygen.nn.ops;
