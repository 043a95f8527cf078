package dev.tinygen.nn.ops;

import java.util.Arrays;
import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Rotary position encoding (RoFormer, as in LLaMA with interleaved pairs) applied to the query and key parts of a
 * packed {@code qkv} buffer: within each head, the pair {@code (x[2i], x[2i+1])} at position {@code p} is rotated by
 * the angle {@code p * 10000^(-2i/hs)}. Values pass through unchanged. Because a rotation's inverse is its
 * transpose, backward rotates the gradient by the negative angle.
 *
 * <p>Shape: qkv (B, T, 3C) with C = nh * hs, hs even -> (B, T, 3C). Positions are {@code offset .. offset+T-1}
 * (an offset lets a KV cache encode one new position at a time).
 */
public final class RotaryEncoding extends Op {
    public static final double BASE = 10000.0;

    private Tensor qkv;
    private int nh;
    private long offset;

    public static Tensor apply(Tensor qkv, int nHead, long offset) {
        return new RotaryEncoding().forward(qkv, nHead, offset);
    }

    private Tensor forward(Tensor qkv, int nHead, long offset) {
        Checks.rank("rotary", qkv, 3);
        long c3 = qkv.size(2);
        if (nHead <= 0 || c3 % (3L * nHead) != 0 || (c3 / 3 / nHead) % 2 != 0)
            throw new IllegalArgumentException("rotary: needs 3C divisible by 3 * nHead (%d) and an even head size, got %s"
                    .formatted(3 * nHead, Arrays.toString(qkv.shape())));
        if (offset < 0) throw new IllegalArgumentException("rotary: position offset must be >= 0, got " + offset);
        this.qkv = qkv;
        this.nh = nHead;
        this.offset = offset;
        return output(rotate(qkv.value(), nHead, offset, 1.0), qkv);
    }

    @Override
    protected void backward(INDArray dy) {
        accumulate(qkv, rotate(dy, nh, offset, -1.0));
    }

    /** A rotated copy of the q and k parts; {@code sign} -1 rotates backwards. */
    static INDArray rotate(INDArray qkv, int nh, long offset, double sign) {
        long b = qkv.size(0), t = qkv.size(1), c = qkv.size(2) / 3, hs = c / nh;
        DataType dt = qkv.dataType();
        INDArray out = qkv.dup('c');
        INDArray pairs = out.reshape('c', b, t, 3, nh, hs / 2, 2);                       // (B, T, 3, nh, hs/2, 2)
        INDArray qk = pairs.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 2));
        INDArray even = qk.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all(), NDArrayIndex.point(0));                                // (B, T, 2, nh, hs/2)
        INDArray odd = qk.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all(), NDArrayIndex.point(1));
        INDArray[] cs = tables(dt, t, hs, offset);
        INDArray cos = cs[0].reshape(1, t, 1, 1, hs / 2);                                  // (1, T, 1, 1, hs/2)
        INDArray sin = cs[1].reshape(1, t, 1, 1, hs / 2).mul(sign);
        INDArray e = even.dup();
        INDArray o = odd.dup();
        even.assign(e.mul(cos).subi(o.mul(sin)));
        odd.assign(e.mul(sin).addi(o.mul(cos)));
        return out;
    }

    /** cos and sin of {@code p * BASE^(-2i/hs)} for p in offset..offset+t-1, i in 0..hs/2-1: two (T, hs/2) arrays. */
    public static INDArray[] tables(DataType dt, long t, long hs, long offset) {
        int half = (int) (hs / 2);
        double[] cos = new double[(int) t * half];
        double[] sin = new double[(int) t * half];
        for (int p = 0; p < t; p++)
            for (int i = 0; i < half; i++) {
                double angle = (offset + p) * Math.pow(BASE, -2.0 * i / hs);
                cos[p * half + i] = Math.cos(angle);
                sin[p * half + i] = Math.sin(angle);
            }
        return new INDArray[] {Nd4j.create(cos, new long[] {t, half}, DataType.DOUBLE).castTo(dt),
                Nd4j.create(sin, new long[] {t, half}, DataType.DOUBLE).castTo(dt)};
    }
}
