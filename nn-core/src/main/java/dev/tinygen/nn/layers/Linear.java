package dev.tinygen.nn.layers;

import java.util.Arrays;
import dev.tinygen.nn.Init;
import dev.tinygen.nn.Module;
import dev.tinygen.nn.Parameter;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.ops.LinearOp;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A fully connected layer, {@code y = x W + b}.
 *
 * <p>Shape: x {@code (N, in)} or {@code (B, T, in)} -> y {@code (N, out)} or {@code (B, T, out)}; weight
 * {@code (in, out)}, bias {@code (out)}.
 *
 * <p>The weight is stored {@code (in, out)}, the transpose of PyTorch's {@code nn.Linear} layout {@code (out, in)}
 * and the same as GPT-2's {@code Conv1D}, so {@code x W} is a plain gemm and GPT-2 checkpoints load without a
 * transpose. A {@code (B, T, in)} input is multiplied as one {@code (B * T, in)} gemm.
 *
 * <p>Initialisation is PyTorch's default: weight and bias both {@code U(-1/sqrt(in), 1/sqrt(in))}. The bias takes no
 * weight decay.
 */
public final class Linear extends Module {
    private final long in;
    private final long out;
    private final Parameter weight;
    private final Parameter bias;

    /** A float32 layer with a bias. */
    public Linear(long in, long out, Rng rng) {
        this(in, out, true, DataType.FLOAT, rng);
    }

    public Linear(long in, long out, boolean bias, Rng rng) {
        this(in, out, bias, DataType.FLOAT, rng);
    }

    public Linear(long in, long out, boolean bias, DataType dtype, Rng rng) {
        if (in <= 0 || out <= 0)
            throw new IllegalArgumentException("linear: sizes must be positive, got in %d, out %d".formatted(in, out));
        if (!dtype.isFPType())
            throw new IllegalArgumentException("linear: expected a floating point type, got " + dtype);
        this.in = in;
        this.out = out;
        double bound = 1.0 / Math.sqrt(in);
        this.weight = register("weight", new Parameter(Init.uniform(rng, dtype, bound, in, out), true));
        this.bias = bias ? register("bias", new Parameter(Init.uniform(rng, dtype, bound, out), false)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        long[] s = x.shape();
        if (s.length < 2 || s.length > 4 || s[s.length - 1] != in)
            throw new IllegalArgumentException("linear: expected input (..., %d), got %s".formatted(in, Arrays.toString(s)));
        if (x.dtype() != weight.dtype())
            throw new IllegalArgumentException("linear: expected input of type %s, got %s".formatted(weight.dtype(), x.dtype()));
        return LinearOp.apply(x, weight, bias);                                        // (..., out)
    }

    public Parameter weight() {
        return weight;
    }

    /** The bias, or null for a layer made without one. */
    public Parameter bias() {
        return bias;
    }

    public long inFeatures() {
        return in;
    }

    public long outFeatures() {
        return out;
    }

    @Override
    public String toString() {
        return "Linear(%d -> %d%s, %s)".formatted(in, out, bias == null ? ", no bias" : "", weight.dtype());
    }
}
