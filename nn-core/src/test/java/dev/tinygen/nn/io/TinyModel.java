package dev.tinygen.nn.io;

import dev.tinygen.nn.Module;
import dev.tinygen.nn.Parameter;
import dev.tinygen.nn.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/** A two-level module with parameters of several shapes, for checkpoint tests. */
final class TinyModel extends Module {
    static final class Layer extends Module {
        final Parameter weight;
        final Parameter bias;

        Layer(int in, int out, DataType t, Rng rng) {
            weight = register("weight", new Parameter(rng.normal(t, 1.0, in, out)));
            bias = register("bias", new Parameter(rng.normal(t, 1.0, out), false));
        }
    }

    final Layer fc;
    final Parameter scale;

    TinyModel(DataType t, long seed) {
        Rng rng = new Rng(seed);
        fc = register("fc", new Layer(3, 4, t, rng));
        scale = register("scale", new Parameter(rng.normal(t, 1.0, 2, 2, 2)));
    }
}
