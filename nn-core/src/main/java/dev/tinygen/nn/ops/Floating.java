package dev.tinygen.nn.ops;

import dev.tinygen.nn.Tensor;

/** The check every elementwise op makes: its input holds real numbers (float16/bfloat16/float32/float64). */
final class Floating {
    private Floating() {}

    static void check(String op, Tensor x) {
        if (!x.dtype().isFPType())
            throw new IllegalArgumentException("%s: expected a floating-point tensor, got %s of shape %s"
                    .formatted(op, x.dtype(), java.util.Arrays.toString(x.shape())));
    }
}
