package dev.tinygen.nn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A value ({@code INDArray}), an optional gradient, and the {@link Op} that made it. Nothing else.
 *
 * <p>Leaves are made with {@link #constant(INDArray)} (no gradient) or {@link #variable(INDArray)} (gradient
 * wanted); every op on tensors returns a new tensor that remembers its op while {@link NoGrad#isRecording()}
 * and some input wants a gradient. {@link #backward()} on a scalar fills the gradients of every tensor it
 * depends on. Gradients accumulate across calls until {@link #zeroGrad()}.
 */
public class Tensor {
    private INDArray value;
    private INDArray grad;
    private final boolean requiresGrad;
    private final Op creator;

    Tensor(INDArray value, boolean requiresGrad, Op creator) {
        if (value == null) throw new IllegalArgumentException("tensor value must not be null");
        this.value = value;
        this.requiresGrad = requiresGrad;
        this.creator = creator;
    }

    /** A leaf that takes no gradient: inputs, targets, masks. */
    public static Tensor constant(INDArray value) {
        return new Tensor(value, false, null);
    }

    /** A leaf whose gradient {@link #backward()} fills. */
    public static Tensor variable(INDArray value) {
        return new Tensor(value, true, null);
    }

    /** A scalar constant of the given type. */
    public static Tensor scalar(double v, DataType dtype) {
        return constant(Nd4j.scalar(dtype, v));
    }

    public INDArray value() {
        return value;
    }

    /** The accumulated gradient, shaped like {@link #value()}, or null before any backward reached it. */
    public INDArray grad() {
        return grad;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** The op that produced this tensor, or null for a leaf or an unrecorded result. */
    public Op creator() {
        return creator;
    }

    public long[] shape() {
        return value.shape();
    }

    public long size(int dim) {
        return value.size(dim);
    }

    public int rank() {
        return value.rank();
    }

    public DataType dtype() {
        return value.dataType();
    }

    /** The single value of a one-element tensor. */
    public double item() {
        if (value.length() != 1)
            throw new IllegalStateException("item(): expected a tensor of 1 element, got shape " + Arrays.toString(shape()));
        return value.getDouble(0);
    }

    /** A constant sharing this tensor's value, cut off from the graph. */
    public Tensor detach() {
        return constant(value);
    }

    /** Forgets the accumulated gradient (a leaf keeps its buffer and zeroes it). */
    public void zeroGrad() {
        if (grad != null) grad.assign(0);
    }

    void setValue(INDArray v) {
        this.value = v;
    }

    void setGrad(INDArray g) {
        this.grad = g;
    }

    /** Adds {@code g} (same shape as the value) into the gradient, allocating it on first use. */
    void addToGrad(INDArray g) {
        if (!Arrays.equals(g.shape(), value.shape()))
            throw new IllegalStateException("gradient shape %s does not match value shape %s (from %s)"
                    .formatted(Arrays.toString(g.shape()), Arrays.toString(value.shape()),
                            creator == null ? "leaf" : creator.name()));
        if (grad == null) {
            grad = copyForGrad(g);
        } else {
            grad.addi(g);
        }
    }

    /**
     * A private copy of the first gradient to arrive (one pass, no zero fill). Leaves live across steps, so theirs is
     * made outside any workspace; intermediate results' gradients live as long as the step and may sit in its
     * workspace.
     */
    private INDArray copyForGrad(INDArray g) {
        if (creator == null) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                return g.dup('c');
            }
        }
        return g.dup('c');
    }

    /** Backpropagates from a one-element tensor (usually a loss), seeding its gradient with 1. */
    public void backward() {
        if (value.length() != 1)
            throw new IllegalStateException("backward(): expected a scalar loss, got shape " + Arrays.toString(shape())
                    + "; use backward(seed) for a non-scalar output");
        backward(Nd4j.ones(value.dataType(), value.shape()));
    }

    /** Backpropagates {@code seed}, a gradient shaped like this tensor, through the recorded graph. */
    public void backward(INDArray seed) {
        if (!requiresGrad)
            throw new IllegalStateException("backward(): this tensor does not require a gradient "
                    + "(no input needed one, or it was computed under NoGrad)");
        if (!Arrays.equals(seed.shape(), value.shape()))
            throw new IllegalArgumentException("backward(seed): expected seed shape %s, got %s"
                    .formatted(Arrays.toString(shape()), Arrays.toString(seed.shape())));
        addToGrad(seed);
        for (Tensor t : reverseTopologicalOrder()) {
            if (t.creator != null && t.grad != null) t.creator.backward(t.grad);
        }
    }

    /** This tensor and every recorded tensor it depends on, outputs before inputs. */
    private List<Tensor> reverseTopologicalOrder() {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> visited = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>(); // {tensor, next input index}
        stack.push(new Object[] {this, 0});
        visited.put(this, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Tensor t = (Tensor) top[0];
            Tensor[] ins = t.creator == null ? new Tensor[0] : t.creator.inputs();
            int i = (Integer) top[1];
            if (i < ins.length) {
                top[1] = i + 1;
                Tensor in = ins[i];
                if (in.requiresGrad && visited.put(in, Boolean.TRUE) == null) stack.push(new Object[] {in, 0});
            } else {
                stack.pop();
                order.add(t);
            }
        }
        Collections.reverse(order);
        return order;
    }

    // ---- Ops as methods, so expressions read left to right. Each delegates to the op's class in dev.tinygen.nn.ops.

    public Tensor add(Tensor o) {
        return dev.tinygen.nn.ops.Add.apply(this, o);
    }

    public Tensor sub(Tensor o) {
        return dev.tinygen.nn.ops.Sub.apply(this, o);
    }

    public Tensor mul(Tensor o) {
        return dev.tinygen.nn.ops.Mul.apply(this, o);
    }

    public Tensor div(Tensor o) {
        return dev.tinygen.nn.ops.Div.apply(this, o);
    }

    /** Matrix product; see {@link dev.tinygen.nn.ops.MatMul} for the shapes. */
    public Tensor matmul(Tensor o) {
        return dev.tinygen.nn.ops.MatMul.apply(this, o);
    }

    public Tensor matmul(Tensor o, boolean transposeThis, boolean transposeOther) {
        return dev.tinygen.nn.ops.MatMul.apply(this, o, transposeThis, transposeOther);
    }

    public Tensor reshape(long... shape) {
        return dev.tinygen.nn.ops.Reshape.apply(this, shape);
    }

    public Tensor permute(int... order) {
        return dev.tinygen.nn.ops.Permute.apply(this, order);
    }

    public Tensor transpose(int dim0, int dim1) {
        return dev.tinygen.nn.ops.Permute.transpose(this, dim0, dim1);
    }

    /** Sum of all elements, a scalar. */
    public Tensor sum() {
        return dev.tinygen.nn.ops.Sum.all(this);
    }

    public Tensor sum(boolean keepDims, int... axes) {
        return dev.tinygen.nn.ops.Sum.apply(this, keepDims, axes);
    }

    public Tensor neg() {
        return dev.tinygen.nn.ops.Neg.apply(this);
    }

    /** {@code this * mul + add}, elementwise, by constants. */
    public Tensor scale(double mul, double add) {
        return dev.tinygen.nn.ops.Scale.apply(this, mul, add);
    }

    public Tensor exp() {
        return dev.tinygen.nn.ops.Exp.apply(this);
    }

    public Tensor log() {
        return dev.tinygen.nn.ops.Log.apply(this);
    }

    public Tensor sqrt() {
        return dev.tinygen.nn.ops.Sqrt.apply(this);
    }

    public Tensor pow(double p) {
        return dev.tinygen.nn.ops.Pow.apply(this, p);
    }

    public Tensor relu() {
        return dev.tinygen.nn.ops.Relu.apply(this);
    }

    public Tensor tanh() {
        return dev.tinygen.nn.ops.Tanh.apply(this);
    }

    public Tensor sigmoid() {
        return dev.tinygen.nn.ops.Sigmoid.apply(this);
    }

    /** GELU, GPT-2's tanh approximation. */
    public Tensor gelu() {
        return dev.tinygen.nn.ops.Gelu.tanh(this);
    }

    public Tensor softmax(int axis) {
        return dev.tinygen.nn.ops.Softmax.apply(this, axis);
    }

    public Tensor logSoftmax(int axis) {
        return dev.tinygen.nn.ops.LogSoftmax.apply(this, axis);
    }

    public Tensor mean() {
        return dev.tinygen.nn.ops.Mean.all(this);
    }

    public Tensor mean(boolean keepDims, int... axes) {
        return dev.tinygen.nn.ops.Mean.apply(this, keepDims, axes);
    }

    public Tensor max(int axis, boolean keepDims) {
        return dev.tinygen.nn.ops.Max.apply(this, axis, keepDims);
    }

    /** Elements {@code from} (inclusive) to {@code to} (exclusive) along {@code axis}. */
    public Tensor slice(int axis, long from, long to) {
        return dev.tinygen.nn.ops.Slice.apply(this, axis, from, to);
    }

    public java.util.List<Tensor> split(int axis, long... sizes) {
        return dev.tinygen.nn.ops.Split.apply(this, axis, sizes);
    }

    /** Where {@code mask} is set (non-zero), {@code value}; elsewhere this tensor. */
    public Tensor maskedFill(INDArray mask, double value) {
        return dev.tinygen.nn.ops.MaskedFill.apply(this, mask, value);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape()) + " " + dtype() + (requiresGrad ? " requiresGrad" : "")
                + (creator != null ? " <- " + creator.name() : "");
    }
}
