package dev.tinygen.nn.ops;

import java.util.Arrays;
import dev.tinygen.nn.Op;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Fused causal scaled-dot-product attention over all heads at once, from the packed projection
 * {@code qkv = x W_attn + b}: {@code y = softmax(mask(Q K^T / sqrt(hs))) V}, heads merged back.
 *
 * <p>Shape: qkv (B, T, 3C) holding [Q | K | V], each split into nh heads of size hs = C / nh -> y (B, T, C).
 *
 * <p>Q, K and V are strided views of the qkv buffer (no copies); every product is one rank-4 batched
 * {@code Nd4j.matmul} (ND4J-NOTES.md: the composed path that measured correct and fastest); the causal mask is
 * an additive -inf upper triangle; softmax and its backward are libnd4j's kernels ({@code softmax_bp} is given the
 * pre-softmax scores, the only contract under which it is correct). With dropout, the attention weights are
 * multiplied by an inverted-dropout mask drawn from the given {@link Rng}.
 */
public final class CausalSelfAttention extends Op {
    private Tensor qkv;
    private int nh;
    private double scale;
    private INDArray q, k, v;   // (B, nh, T, hs) views into qkv
    private INDArray scores;    // (B, nh, T, T) masked, scaled, before softmax
    private INDArray weights;   // (B, nh, T, T) after softmax (and dropout, if any)
    private INDArray dropMask;  // (B, nh, T, T) or null

    /** Attention without dropout. */
    public static Tensor apply(Tensor qkv, int nHead) {
        return new CausalSelfAttention().forward(qkv, nHead, 0.0, null);
    }

    /** Attention with inverted dropout of probability {@code p} on the weights ({@code rng} may be null if p is 0). */
    public static Tensor apply(Tensor qkv, int nHead, double p, Rng rng) {
        return new CausalSelfAttention().forward(qkv, nHead, p, rng);
    }

    /** The attention weights of the last forward (B, nh, T, T), after softmax: row t sums to 1 over positions <= t. */
    public static INDArray weightsOf(Tensor attentionOutput) {
        if (!(attentionOutput.creator() instanceof CausalSelfAttention a))
            throw new IllegalArgumentException("weightsOf: tensor was not produced by a recorded CausalSelfAttention");
        return a.weights;
    }

    /** Attention weights computed directly (no graph): (B, nh, T, T). */
    public static INDArray weights(INDArray qkv, int nHead) {
        CausalSelfAttention a = new CausalSelfAttention();
        a.forward(Tensor.constant(qkv), nHead, 0.0, null);
        return a.weights;
    }

    private Tensor forward(Tensor qkv, int nHead, double p, Rng rng) {
        Checks.rank("attention", qkv, 3);
        long b = qkv.size(0), t = qkv.size(1), c3 = qkv.size(2);
        if (nHead <= 0 || c3 % (3L * nHead) != 0)
            throw new IllegalArgumentException("attention: last dimension 3C must be divisible by 3 * nHead (%d), got %s"
                    .formatted(3 * nHead, Arrays.toString(qkv.shape())));
        if (p < 0 || p >= 1) throw new IllegalArgumentException("attention: dropout must be in [0, 1), got " + p);
        if (p > 0 && rng == null) throw new IllegalArgumentException("attention: dropout " + p + " needs an Rng");
        long c = c3 / 3, hs = c / nHead;
        this.qkv = qkv;
        this.nh = nHead;
        this.scale = 1.0 / Math.sqrt(hs);
        DataType dt = qkv.dtype();

        INDArray packed = Checks.contiguous(qkv.value()).reshape('c', b, t, 3, nHead, hs)      // (B, T, 3, nh, hs)
                .permute(2, 0, 3, 1, 4);                                              // (3, B, nh, T, hs)
        q = packed.get(NDArrayIndex.point(0));                                         // (B, nh, T, hs)
        k = packed.get(NDArrayIndex.point(1));
        v = packed.get(NDArrayIndex.point(2));

        scores = Nd4j.createUninitialized(dt, b, nHead, t, t);
        Nd4j.matmul(q, k, scores, false, true, false);                                 // (B, nh, T, T)
        scores.muli(scale).addi(causalMask(dt, t));
        weights = Nd4j.createUninitialized(dt, b, nHead, t, t);
        Nd4j.exec(DynamicCustomOp.builder("softmax").addInputs(scores).addOutputs(weights).addIntegerArguments(3).build());
        if (p > 0) {
            double[] m = new double[(int) (b * nHead * t * t)];
            double keep = 1.0 / (1 - p);
            for (int i = 0; i < m.length; i++) m[i] = rng.nextDouble() >= p ? keep : 0.0;
            dropMask = Nd4j.create(m, new long[] {b, nHead, t, t}, DataType.DOUBLE).castTo(dt);
            weights.muli(dropMask);
        }
        INDArray y = Nd4j.createUninitialized(dt, b, nHead, t, hs);
        Nd4j.matmul(weights, v, y, false, false, false);                               // (B, nh, T, hs)
        INDArray merged = y.permute(0, 2, 1, 3).dup('c').reshape('c', b, t, c);        // (B, T, C)
        return output(merged, qkv);
    }

    @Override
    protected void backward(INDArray dOut) {                                            // dOut: (B, T, C)
        long b = q.size(0), t = q.size(2), hs = q.size(3);
        DataType dt = dOut.dataType();
        INDArray dy = Checks.contiguous(dOut).reshape('c', b, t, nh, hs).permute(0, 2, 1, 3);   // (B, nh, T, hs)

        INDArray dqkv = Nd4j.createUninitialized(dt, b, t, 3, nh, hs);                 // (B, T, 3, nh, hs)
        INDArray dPacked = dqkv.permute(2, 0, 3, 1, 4);                                 // (3, B, nh, T, hs)
        INDArray dq = dPacked.get(NDArrayIndex.point(0));
        INDArray dk = dPacked.get(NDArrayIndex.point(1));
        INDArray dv = dPacked.get(NDArrayIndex.point(2));

        INDArray dvTmp = Nd4j.createUninitialized(dt, b, nh, t, hs);
        Nd4j.matmul(weights, dy, dvTmp, true, false, false);                            // (B, nh, T, hs)
        dv.assign(dvTmp);
        INDArray dP = Nd4j.createUninitialized(dt, b, nh, t, t);
        Nd4j.matmul(dy, v, dP, false, true, false);                                     // (B, nh, T, T)
        if (dropMask != null) dP.muli(dropMask);
        INDArray dS = Nd4j.createUninitialized(dt, b, nh, t, t);
        Nd4j.exec(DynamicCustomOp.builder("softmax_bp").addInputs(scores, dP).addOutputs(dS).addIntegerArguments(3).build());
        dS.muli(scale);
        INDArray tmp = Nd4j.createUninitialized(dt, b, nh, t, hs);
        Nd4j.matmul(dS, k, tmp, false, false, false);                                   // (B, nh, T, hs)
        dq.assign(tmp);
        Nd4j.matmul(dS, q, tmp, true, false, false);                                    // (B, nh, T, hs)
        dk.assign(tmp);
        accumulate(qkv, dqkv.reshape('c', b, t, 3 * nh * hs));                          // (B, T, 3C)
    }

    private static final java.util.Map<String, INDArray> MASKS = new java.util.concurrent.ConcurrentHashMap<>();

    /** 0 on and below the diagonal, -inf above: position t sees positions 0..t. Cached per (dtype, T). */
    static INDArray causalMask(DataType dt, long t) {
        return MASKS.computeIfAbsent(dt + ":" + t, key -> {
            double[] m = new double[(int) (t * t)];
            for (int i = 0; i < t; i++)
                for (int j = i + 1; j < t; j++) m[(int) (i * t + j)] = Double.NEGATIVE_INFINITY;
            try (var ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                return Nd4j.create(m, new long[] {t, t}, DataType.DOUBLE).castTo(dt);
            }
        });
    }
}
