package dev.tinygen.nn.ops;

import java.util.Arrays;
import dev.tinygen.nn.Broadcast;
import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where a constant mask is set, the output is {@code value} (which may be {@code -infinity}, as for a causal
 * attention mask); elsewhere it is the input. The mask is boolean or numeric (non-zero means set), broadcasts
 * to the input's shape, and takes no gradient; the input's gradient is zero where the mask is set.
 *
 * <p>Shape: x {@code (d0, ..., dk)}, mask broadcastable to it (e.g. {@code (T, T)} against {@code (B, nh, T, T)})
 * -> {@code (d0, ..., dk)}.
 */
public final class MaskedFill extends Op {
    private Tensor x;
    /** The mask as booleans, with x's rank (leading 1s added), not yet broadcast. */
    private INDArray set;

    public static Tensor apply(Tensor x, INDArray mask, double value) {
        return new MaskedFill().forward(x, mask, value);
    }

    /** The same, taking the mask's value; a mask tensor never receives a gradient. */
    public static Tensor apply(Tensor x, Tensor mask, double value) {
        return apply(x, mask.value(), value);
    }

    private Tensor forward(Tensor x, INDArray mask, double value) {
        Floating.check("maskedFill", x);
        long[] xs = x.shape();
        long[] b = Broadcast.shape("maskedFill", xs, mask.shape());
        if (!Arrays.equals(b, xs))
            throw new IllegalArgumentException("maskedFill: mask of shape %s does not broadcast to the input's shape %s"
                    .formatted(Arrays.toString(mask.shape()), Arrays.toString(xs)));
        if (mask.dataType() != DataType.BOOL && !mask.dataType().isNumerical())
            throw new IllegalArgumentException("maskedFill: mask must be boolean or numeric, got " + mask.dataType());
        this.x = x;
        INDArray m = mask.dataType() == DataType.BOOL ? mask : mask.neq(0);
        if (m.rank() < xs.length) {
            long[] padded = new long[xs.length];
            Arrays.fill(padded, 1);
            System.arraycopy(m.shape(), 0, padded, xs.length - m.rank(), m.rank());
            m = m.reshape(padded);
        }
        set = m;
        INDArray full = Arrays.equals(m.shape(), xs) ? m : m.broadcast(xs);
        return output(x.value().putWhereWithMask(full, value), x);
    }

    @Override
    protected void backward(INDArray dy) {
        if (needsGrad(x)) accumulate(x, dy.mul(set.castTo(dy.dataType()).rsubi(1)));
    }
}
