package dev.tinygen.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A piece of a model: named {@link Parameter}s, named buffers and named child modules, registered in the constructor.
 *
 * <pre>{@code
 * final class Mlp extends Module {
 *     private final Linear fc1 = register("fc1", new Linear(784, 128, rng));
 *     private final Linear fc2 = register("fc2", new Linear(128, 10, rng));
 *     public Tensor forward(Tensor x) { return fc2.forward(fc1.forward(x).relu()); }
 * }
 * }</pre>
 *
 * Parameter names are dotted paths ({@code fc1.weight}), in registration order; checkpoints use them.
 *
 * <p>A buffer is state that is not learned by gradient descent but belongs to the model and is saved with it, such
 * as batch norm's running mean: optimizers never see it, checkpoints and {@link #to} do, as in PyTorch.
 */
public abstract class Module {
    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final Map<String, INDArray> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Registers a parameter under {@code name} (no dots) and returns it. */
    protected final Parameter register(String name, Parameter p) {
        checkName(name);
        params.put(name, p);
        return p;
    }

    /**
     * Registers a floating-point buffer under {@code name} (no dots) and returns it; it is kept outside any workspace
     * (a copy is taken if {@code value} lives in one). {@link #to} replaces the array, so a module reads its buffers
     * back through {@link #buffer(String)} rather than keeping the returned reference.
     */
    protected final INDArray registerBuffer(String name, INDArray value) {
        checkName(name);
        if (value == null || !value.dataType().isFPType())
            throw new IllegalArgumentException("%s: buffer '%s' must be a floating-point array, got %s"
                    .formatted(getClass().getSimpleName(), name, value == null ? "null" : value.dataType()));
        INDArray v = value.isAttached() ? value.detach() : value;
        buffers.put(name, v);
        return v;
    }

    /** This module's own buffer {@code name}, as registered (or as converted by {@link #to}). */
    protected final INDArray buffer(String name) {
        INDArray b = buffers.get(name);
        if (b == null)
            throw new IllegalArgumentException("%s: no buffer named '%s'; buffers are %s"
                    .formatted(getClass().getSimpleName(), name, buffers.keySet()));
        return b;
    }

    /** Registers a child module under {@code name} (no dots) and returns it. */
    protected final <M extends Module> M register(String name, M child) {
        checkName(name);
        if (child == this) throw new IllegalArgumentException(getClass().getSimpleName() + ": a module cannot contain itself");
        children.put(name, child);
        return child;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains("."))
            throw new IllegalArgumentException("%s: a parameter, buffer or child name must be non-empty without dots, got '%s'"
                    .formatted(getClass().getSimpleName(), name));
        if (params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name))
            throw new IllegalArgumentException("%s: the name '%s' is already registered".formatted(getClass().getSimpleName(), name));
    }

    /**
     * The module's computation for one input. Modules whose forward takes other arguments define their own
     * method and leave this one unsupported.
     */
    public Tensor forward(Tensor x) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no single-tensor forward");
    }

    /** Every parameter of this module and its descendants, by dotted name, in registration order. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collect(String prefix, Map<String, Parameter> out) {
        for (var e : params.entrySet()) out.put(prefix + e.getKey(), e.getValue());
        for (var e : children.entrySet()) e.getValue().collect(prefix + e.getKey() + ".", out);
    }

    /** Every buffer of this module and its descendants, by dotted name, in registration order. */
    public final Map<String, INDArray> namedBuffers() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        collectBuffers("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collectBuffers(String prefix, Map<String, INDArray> out) {
        for (var e : buffers.entrySet()) out.put(prefix + e.getKey(), e.getValue());
        for (var e : children.entrySet()) e.getValue().collectBuffers(prefix + e.getKey() + ".", out);
    }

    public final List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Direct children by name. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Total number of learned scalars. */
    public final long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) n += p.value().length();
        return n;
    }

    /** Training mode (dropout active) for this module and all descendants. */
    public Module train() {
        setTraining(true);
        return this;
    }

    /** Evaluation mode (dropout off) for this module and all descendants. */
    public Module eval() {
        setTraining(false);
        return this;
    }

    private void setTraining(boolean t) {
        training = t;
        for (Module c : children.values()) c.setTraining(t);
    }

    public final boolean isTraining() {
        return training;
    }

    /**
     * Converts every parameter and buffer to {@code dtype} (float32 for training, float64 for gradient checks). Call
     * before creating an optimizer, which lays parameters out by their current arrays.
     */
    public Module to(DataType dtype) {
        for (Parameter p : parameters()) p.castTo(dtype);
        castBuffers(dtype);
        return this;
    }

    private void castBuffers(DataType dtype) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            buffers.replaceAll((name, b) -> b.dataType() == dtype ? b : b.castTo(dtype));
        }
        for (Module c : children.values()) c.castBuffers(dtype);
    }

    /** Zeroes every parameter's gradient. */
    public final void zeroGrad() {
        for (Parameter p : parameters()) p.zeroGrad();
    }
}
