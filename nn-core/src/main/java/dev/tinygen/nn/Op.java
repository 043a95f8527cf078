package dev.tinygen.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One differentiable operation: a forward that computes an output from input tensors, and a backward that
 * adds each input's share of the output gradient into that input's gradient.
 *
 * <p>A subclass computes its forward value, saves on itself only what backward needs, and returns
 * {@link #output(INDArray, Tensor...)}. Backward runs at most once per recorded op, and only when the output
 * received a gradient. Use {@link #needsGrad(Tensor)} to skip work for inputs that need none and
 * {@link #accumulate(Tensor, INDArray)} to add a gradient (it sums away broadcast dimensions).
 */
public abstract class Op {
    private Tensor[] inputs;

    /**
     * Wraps a forward result. The op is recorded for backward when recording is on and any input needs a
     * gradient; otherwise the result is a constant and this op is dropped.
     */
    protected final Tensor output(INDArray value, Tensor... inputs) {
        boolean record = false;
        if (NoGrad.isRecording()) {
            for (Tensor t : inputs) {
                if (t.requiresGrad()) {
                    record = true;
                    break;
                }
            }
        }
        if (!record) return new Tensor(value, false, null);
        this.inputs = inputs;
        return new Tensor(value, true, this);
    }

    /** Adds the contributions of {@code gradOutput} (shaped like the output) to the inputs' gradients. */
    protected abstract void backward(INDArray gradOutput);

    /** The inputs this op was recorded with (empty if it was not recorded). */
    final Tensor[] inputs() {
        return inputs == null ? new Tensor[0] : inputs;
    }

    /** The op's name in error messages and graph listings. */
    public String name() {
        return getClass().getSimpleName();
    }

    protected static boolean needsGrad(Tensor t) {
        return t.requiresGrad();
    }

    /**
     * Adds {@code g} into {@code t}'s gradient. If {@code g} has the shape of a broadcast of {@code t}, the
     * broadcast dimensions are summed away first.
     */
    protected static void accumulate(Tensor t, INDArray g) {
        if (!t.requiresGrad()) return;
        t.addToGrad(Broadcast.reduceTo(g, t.shape()));
    }
}
