package dev.tinygen.transformer;

import dev.tinygen.nn.Module;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.layers.Dropout;
import dev.tinygen.nn.layers.Linear;
import dev.tinygen.nn.ops.CausalSelfAttention;
import dev.tinygen.nn.ops.RotaryEncoding;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Causal multi-head self-attention: every position looks at itself and the positions before it, in nh heads that
 * each attend in their own hs-wide subspace, then a projection mixes the heads.
 *
 * <p>Shape: x (B, T, C) -> (B, T, C). Parameters in GPT-2's layout: {@code c_attn} (C, 3C) packs the query, key and
 * value projections side by side; {@code c_proj} (C, C).
 *
 * <p>Training and uncached inference run the fused {@link CausalSelfAttention} op over all heads at once;
 * {@link #forwardCached} computes one new position against a {@link KvCache} layer.
 */
public class MultiHeadAttention extends Module {
    private final Linear cAttn;
    private final Linear cProj;
    private final Dropout residDropout;
    private final int nHead;
    private final double attnDropout;
    private final boolean rotary;
    private final Rng rng;

    public MultiHeadAttention(int nEmbd, int nHead, double dropout, boolean rotary, Rng rng) {
        if (nHead <= 0 || nEmbd % nHead != 0)
            throw new IllegalArgumentException("attention: nEmbd (%d) must be divisible by nHead (%d)".formatted(nEmbd, nHead));
        this.cAttn = register("c_attn", new Linear(nEmbd, 3 * nEmbd, rng));
        this.cProj = register("c_proj", new Linear(nEmbd, nEmbd, rng));
        this.residDropout = register("resid_dropout", new Dropout(dropout, rng));
        this.nHead = nHead;
        this.attnDropout = dropout;
        this.rotary = rotary;
        this.rng = rng;
    }

    public int nHead() {
        return nHead;
    }

    Linear cAttn() {
        return cAttn;
    }

    Linear cProj() {
        return cProj;
    }

    boolean rotary() {
        return rotary;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor qkv = cAttn.forward(x);                                                  // (B, T, 3C)
        if (rotary) qkv = RotaryEncoding.apply(qkv, nHead, 0);
        double p = isTraining() ? attnDropout : 0.0;
        Tensor y = CausalSelfAttention.apply(qkv, nHead, p, rng);                       // (B, T, C)
        return residDropout.forward(cProj.forward(y));                                  // (B, T, C)
    }

    /** The attention weights for input x, (B, nh, T, T): how much each position attends to each earlier one. */
    public INDArray attentionWeights(Tensor x) {
        Tensor qkv = cAttn.forward(x);
        if (rotary) qkv = RotaryEncoding.apply(qkv, nHead, 0);
        return CausalSelfAttention.weights(qkv.value(), nHead);
    }

    /**
     * Positions 0..T-1 at once, as {@link #forward} in evaluation mode, also writing their keys and values into the
     * cache. Shape: x (B, T, C) -> (B, T, C).
     */
    Tensor forwardPrefill(Tensor x, KvCache.Layer cache) {
        long b = x.size(0), t = x.size(1), c = x.size(2), hs = c / nHead;
        Tensor qkv = cAttn.forward(x);                                                  // (B, T, 3C)
        if (rotary) qkv = RotaryEncoding.apply(qkv, nHead, 0);
        INDArray packed = qkv.value().reshape('c', b, t, 3, nHead, hs).permute(2, 0, 3, 1, 4);  // (3, B, nh, T, hs)
        cache.keys().get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, t))
                .assign(packed.get(NDArrayIndex.point(1)));                            // (B, nh, T, hs)
        cache.values().get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, t))
                .assign(packed.get(NDArrayIndex.point(2)));
        return cProj.forward(CausalSelfAttention.apply(qkv, nHead));                   // (B, T, C)
    }

    /**
     * One new position {@code pos} for every sequence in the batch, attending over the cached keys and values of
     * positions 0..pos (this one's are written into the cache first). No graph is recorded.
     *
     * <p>Shape: x (B, 1, C) -> (B, 1, C); cache keys/values (B, nh, blockSize, hs).
     */
    Tensor forwardCached(Tensor x, KvCache.Layer cache, int pos) {
        long b = x.size(0), c = x.size(2), hs = c / nHead;
        Tensor qkvT = cAttn.forward(x);                                                 // (B, 1, 3C)
        if (rotary) qkvT = RotaryEncoding.apply(qkvT, nHead, pos);
        INDArray packed = qkvT.value().reshape('c', b, 3, nHead, hs);                   // (B, 3, nh, hs)
        INDArray q = packed.get(NDArrayIndex.all(), NDArrayIndex.point(0)).reshape(b, nHead, 1, hs);  // (B, nh, 1, hs)
        cache.keys().get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(pos))
                .assign(packed.get(NDArrayIndex.all(), NDArrayIndex.point(1)));        // (B, nh, hs)
        cache.values().get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(pos))
                .assign(packed.get(NDArrayIndex.all(), NDArrayIndex.point(2)));
        INDArray keys = cache.keys().get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, pos + 1));
        INDArray vals = cache.values().get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, pos + 1));
        INDArray scores = Nd4j.createUninitialized(x.dtype(), b, nHead, 1, pos + 1);
        Nd4j.matmul(q, keys, scores, false, true, false);                               // (B, nh, 1, pos+1)
        scores.muli(1.0 / Math.sqrt(hs));
        INDArray w = Nd4j.createUninitialized(x.dtype(), b, nHead, 1, pos + 1);
        Nd4j.exec(org.nd4j.linalg.api.ops.DynamicCustomOp.builder("softmax").addInputs(scores).addOutputs(w)
                .addIntegerArguments(3).build());
        INDArray y = Nd4j.createUninitialized(x.dtype(), b, nHead, 1, hs);
        Nd4j.matmul(w, vals, y, false, false, false);                                   // (B, nh, 1, hs)
        Tensor merged = Tensor.constant(y.reshape('c', b, 1, c));                       // (B, 1, C)
        return cProj.forward(merged);
    }
}
