package dev.tinygen.nn.optim;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import dev.tinygen.nn.Parameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The parameters of one decay group laid out back to back in one flat value buffer and one flat gradient buffer,
 * each parameter rebound to views of them, so an update is one pass over a vector.
 *
 * <p>Shape: values, grads and every per-group state buffer {@code (n)}, {@code n} the group's total element count.
 */
final class FlatGroup {
    final boolean decay;
    final List<String> names;
    final List<Parameter> params;
    final long[] offsets;
    final int length;
    final DataType dtype;
    final INDArray values;  // (n)
    final INDArray grads;   // (n)

    FlatGroup(String where, boolean decay, Map<String, Parameter> named) {
        this.decay = decay;
        List<String> ns = new ArrayList<>();
        List<Parameter> ps = new ArrayList<>();
        for (var e : named.entrySet()) {
            ns.add(e.getKey());
            ps.add(e.getValue());
        }
        this.names = Collections.unmodifiableList(ns);
        this.params = Collections.unmodifiableList(ps);
        this.offsets = new long[ps.size() + 1];
        DataType type = null;
        for (int i = 0; i < ps.size(); i++) {
            Parameter p = ps.get(i);
            if (type == null) type = p.dtype();
            else if (p.dtype() != type)
                throw new IllegalArgumentException("%s: all parameters of a group must share one data type, '%s' is %s, '%s' is %s"
                        .formatted(where, ns.get(0), type, ns.get(i), p.dtype()));
            offsets[i + 1] = offsets[i] + p.value().length();
        }
        if (offsets[ps.size()] > Integer.MAX_VALUE)
            throw new IllegalArgumentException("%s: a group of %d elements is too large for one buffer".formatted(where, offsets[ps.size()]));
        this.length = (int) offsets[ps.size()];
        this.dtype = type == null ? DataType.FLOAT : type;
        this.values = newBuffer();
        this.grads = newBuffer();
        for (int i = 0; i < ps.size(); i++) ps.get(i).rebind(view(values, i), view(grads, i));
    }

    /** A zeroed buffer of the group's length and type, outside any workspace so it lives as long as the model. */
    INDArray newBuffer() {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.zeros(dtype, length);
        }
    }

    /** Parameter {@code i}'s slice of a flat buffer, shaped like the parameter; writes go through to the buffer. */
    INDArray view(INDArray flat, int i) {
        long[] shape = params.get(i).shape();
        INDArray v = flat.get(NDArrayIndex.interval(offsets[i], offsets[i + 1]));
        return Arrays.equals(v.shape(), shape) ? v : v.reshape('c', shape);
    }

    boolean isEmpty() {
        return length == 0;
    }

    FloatBuffer floats(INDArray flat) {
        return flat.data().asNioFloat();
    }

    DoubleBuffer doubles(INDArray flat) {
        return flat.data().asNioDouble();
    }
}
