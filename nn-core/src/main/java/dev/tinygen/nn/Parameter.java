package dev.tinygen.nn;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A learned tensor owned by a {@link Module}: a leaf that requires a gradient, whose value and gradient live
 * outside any workspace for the whole life of the model. Its gradient buffer is allocated up front (zeros).
 *
 * <p>An optimizer may {@link #rebind} a parameter to views of one flat buffer so a whole update is a few
 * whole-vector ops; the values are copied over and nothing else changes for the model.
 */
public final class Parameter extends Tensor {
    /** Whether optimizers apply weight decay to it (false for biases and norm gains by convention). */
    private final boolean decay;

    public Parameter(INDArray value) {
        this(value, value.rank() >= 2);
    }

    public Parameter(INDArray value, boolean decay) {
        super(detached(value), true, null);
        this.decay = decay;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            setGrad(Nd4j.zeros(value.dataType(), value.shape()));
        }
    }

    private static INDArray detached(INDArray v) {
        if (v.isAttached()) return v.detach();
        return v;
    }

    /** Whether weight decay applies (matrices yes, biases and layer-norm gains no, unless set otherwise). */
    public boolean decay() {
        return decay;
    }

    /**
     * Moves the value and gradient into the given arrays (same shape and type, outside any workspace), copying
     * the current contents. Used to lay parameters out in one flat buffer.
     */
    public void rebind(INDArray valueView, INDArray gradView) {
        if (!java.util.Arrays.equals(valueView.shape(), shape()) || !java.util.Arrays.equals(gradView.shape(), shape()))
            throw new IllegalArgumentException("rebind: expected shape %s, got value %s and grad %s".formatted(
                    java.util.Arrays.toString(shape()), java.util.Arrays.toString(valueView.shape()),
                    java.util.Arrays.toString(gradView.shape())));
        valueView.assign(value());
        gradView.assign(grad());
        setValue(valueView);
        setGrad(gradView);
    }

    /** Converts value and gradient to {@code dtype} (new arrays outside any workspace); no-op if already that type. */
    void castTo(org.nd4j.linalg.api.buffer.DataType dtype) {
        if (dtype() == dtype) return;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            setValue(value().castTo(dtype));
            setGrad(Nd4j.zeros(dtype, shape()));
        }
    }
}
