package dev.tinygen.examples;

import dev.tinygen.nn.Module;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.layers.Linear;
import dev.tinygen.nn.ops.Relu;

/**
 * The smallest network that reads digits well: 784 pixels -> 128 hidden units (ReLU) -> 10 class scores.
 *
 * <p>Shape: x (B, 784) -> logits (B, 10).
 */
public final class Mlp extends Module {
    private final Linear fc1;
    private final Linear fc2;

    public Mlp(int in, int hidden, int out, Rng rng) {
        this.fc1 = register("fc1", new Linear(in, hidden, rng));
        this.fc2 = register("fc2", new Linear(hidden, out, rng));
    }

    @Override
    public Tensor forward(Tensor x) {
        return fc2.forward(Relu.apply(fc1.forward(x)));                                // (B, 10)
    }
}
