package dev.tinygen.examples.demo;

import java.util.ArrayList;
import java.util.List;
import dev.tinygen.nn.Module;
import dev.tinygen.nn.NoGrad;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.layers.Embedding;
import dev.tinygen.nn.layers.LayerNorm;
import dev.tinygen.transformer.Block;
import dev.tinygen.transformer.Gpt;
import dev.tinygen.transformer.GptConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The attention weights of every layer and head of a {@link Gpt} for one sequence, found by replaying the model's
 * forward pass from its public parts: token embedding plus positions, then for each block the weights its attention
 * computes from {@code ln_1(x)} before the block runs. {@link #logits} finishes the replay, so a test can check it
 * against {@link Gpt#forward}.
 *
 * <p>Shape: ids int[T] -> weights[layer][head][query][key] (nLayer, nh, T, T); each query row sums to 1 over keys
 * at or before it.
 */
public final class AttentionMaps {
    private final double[][][][] weights;
    private final double[][] logits;

    private AttentionMaps(double[][][][] weights, double[][] logits) {
        this.weights = weights;
        this.logits = logits;
    }

    /** Runs {@code ids} (at most the block size) through the model in evaluation mode, without recording a graph. */
    public static AttentionMaps of(Gpt model, int[] ids) {
        GptConfig cfg = model.config();
        if (ids.length == 0) throw new IllegalArgumentException("attention maps: the sequence is empty");
        if (ids.length > cfg.blockSize())
            throw new IllegalArgumentException("attention maps: the sequence has %d tokens, the block size is only %d"
                    .formatted(ids.length, cfg.blockSize()));
        for (int id : ids)
            if (id < 0 || id >= cfg.vocabSize())
                throw new IllegalArgumentException("token id %d is outside the vocabulary of %d".formatted(id, cfg.vocabSize()));
        boolean wasTraining = model.isTraining();
        model.eval();
        int t = ids.length;
        try (NoGrad ignored = NoGrad.scope()) {
            var parts = model.children();
            INDArray idArr = Nd4j.createFromArray(ids).reshape(1, t);                       // (1, T)
            Tensor x = ((Embedding) parts.get("wte")).forward(idArr);                       // (1, T, C)
            DataType dt = x.dtype();
            switch (cfg.positions()) {
                case LEARNED -> x = x.add(((Embedding) parts.get("wpe")).forward(
                        Nd4j.arange(0, t).castTo(DataType.INT)));                            // (1, T, C) + (T, C)
                case SINUSOIDAL -> x = x.add(Tensor.constant(
                        Gpt.sinusoidalEncoding(t, cfg.nEmbd()).castTo(dt)));                // (1, T, C) + (T, C)
                case ROTARY, NONE -> { }
            }
            List<Block> blocks = model.blocks();
            double[][][][] w = new double[blocks.size()][][][];
            for (int l = 0; l < blocks.size(); l++) {
                Block b = blocks.get(l);
                Tensor normed = ((LayerNorm) b.children().get("ln_1")).forward(x);         // (1, T, C)
                INDArray a = b.attention().attentionWeights(normed);                        // (1, nh, T, T)
                w[l] = toArray(a.get(NDArrayIndex.point(0)).castTo(DataType.DOUBLE), cfg.nHead(), t);
                x = b.forward(x);                                                           // (1, T, C)
            }
            x = ((LayerNorm) parts.get("ln_f")).forward(x);
            Module head = parts.get("lm_head");
            Tensor out = head != null ? head.forward(x)                                     // (1, T, V)
                    : x.matmul(((Embedding) parts.get("wte")).weight(), false, true);       // (1, T, C) x (V, C)^T
            double[][] logits = out.value().reshape(t, cfg.vocabSize()).castTo(DataType.DOUBLE).toDoubleMatrix();
            return new AttentionMaps(w, logits);
        } finally {
            if (wasTraining) model.train();
        }
    }

    private static double[][][] toArray(INDArray a, int nh, int t) {                        // a: (nh, T, T)
        double[][][] out = new double[nh][][];
        for (int h = 0; h < nh; h++) out[h] = a.get(NDArrayIndex.point(h)).toDoubleMatrix();
        return out;
    }

    public int layers() {
        return weights.length;
    }

    public int heads() {
        return weights[0].length;
    }

    /** (T, T) weights of one head: row = query position, column = key position. */
    public double[][] weights(int layer, int head) {
        double[][] w = weights[layer][head];
        double[][] copy = new double[w.length][];
        for (int i = 0; i < w.length; i++) copy[i] = w[i].clone();
        return copy;
    }

    /** The logits (T, V) at the end of the replay: equal to the model's own forward. */
    public double[][] logits() {
        return logits;
    }

    /** What one head does, in three numbers. */
    public record HeadSummary(double meanDistance, double previousToken, double entropy) {}

    /**
     * Mean over query positions t of: the expected distance t - j under the weights (how far back the head looks),
     * the weight on j = t - 1 (positions t >= 1 only), and the entropy of the row in nats (how spread out it is).
     */
    public static HeadSummary summarize(double[][] w) {
        int t = w.length;
        double dist = 0, prev = 0, ent = 0;
        for (int i = 0; i < t; i++) {
            for (int j = 0; j <= i; j++) {
                dist += w[i][j] * (i - j);
                if (w[i][j] > 0) ent -= w[i][j] * Math.log(w[i][j]);
            }
            if (i >= 1) prev += w[i][i - 1];
        }
        return new HeadSummary(dist / t, t > 1 ? prev / (t - 1) : 0, ent / t);
    }

    /** All heads' summaries, layer by layer. */
    public List<HeadSummary> summaries() {
        List<HeadSummary> out = new ArrayList<>();
        for (double[][][] layer : weights) for (double[][] head : layer) out.add(summarize(head));
        return out;
    }
}
