package dev.tinygen.nn.io;

import dev.tinygen.nn.Module;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.layers.BatchNorm;
import dev.tinygen.nn.layers.Linear;
import org.nd4j.linalg.api.buffer.DataType;

/** A linear layer followed by batch norm: parameters and buffers, for checkpoint tests. */
final class NormModel extends Module {
    final Linear fc;
    final BatchNorm bn;

    NormModel(long seed) {
        Rng rng = new Rng(seed);
        fc = register("fc", new Linear(3, 4, rng));
        bn = register("bn", new BatchNorm(4));
        // Move the running statistics off their initial values, differently per seed.
        bn.forward(fc.forward(Tensor.constant(rng.normal(DataType.FLOAT, 2.0, 5, 3))));
    }
}
