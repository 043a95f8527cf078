package dev.tinygen.nn.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import dev.tinygen.nn.Module;
import dev.tinygen.nn.Tensor;

/**
 * Child modules applied one after another, each to the previous one's output. Children are registered as
 * {@code "0"}, {@code "1"}, ... so parameter names read {@code 0.weight}, {@code 2.bias} as in PyTorch.
 *
 * <p>Shape: the first child's input -> the last child's output.
 */
public final class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    public Sequential(Module... layers) {
        for (Module m : layers) add(m);
    }

    /** Appends a module under the next index and returns this. */
    public Sequential add(Module m) {
        if (m == null) throw new IllegalArgumentException("sequential: module " + layers.size() + " is null");
        layers.add(register(String.valueOf(layers.size()), m));
        return this;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (layers.isEmpty()) throw new IllegalStateException("sequential: no modules to apply");
        Tensor y = x;
        for (Module m : layers) y = m.forward(y);
        return y;
    }

    public Module get(int i) {
        if (i < 0 || i >= layers.size())
            throw new IndexOutOfBoundsException("sequential: index %d, size %d".formatted(i, layers.size()));
        return layers.get(i);
    }

    public int size() {
        return layers.size();
    }

    public List<Module> layers() {
        return Collections.unmodifiableList(layers);
    }
}
