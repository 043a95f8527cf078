package dev.tinygen.transformer;

import java.util.ArrayList;
import java.util.List;
import dev.tinygen.nn.Module;
import dev.tinygen.nn.NoGrad;
import dev.tinygen.nn.Parameter;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.layers.Dropout;
import dev.tinygen.nn.layers.Embedding;
import dev.tinygen.nn.layers.LayerNorm;
import dev.tinygen.nn.layers.Sequential;
import dev.tinygen.nn.ops.CrossEntropy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A GPT, read top to bottom like its diagram: token embedding, positions, N blocks, final layer norm, head.
 *
 * <p>Shape: ids (B, T) with T <= blockSize -> logits (B, T, V): for every position, scores for the next token.
 *
 * <p>Parameter names follow Hugging Face's GPT-2 ({@code wte.weight}, {@code wpe.weight},
 * {@code h.0.ln_1.weight}, {@code h.0.attn.c_attn.weight} (C, 3C), ..., {@code ln_f.bias}), so checkpoints line up
 * with other tools. Initialisation as GPT-2: weights N(0, 0.02), residual projections N(0, 0.02 / sqrt(2 nLayer)),
 * biases 0, layer norms 1 and 0.
 */
public final class Gpt extends Module {
    private final GptConfig cfg;
    private final Embedding wte;
    private final Embedding wpe;            // LEARNED positions only
    private final INDArray sinusoid;        // SINUSOIDAL positions only: (blockSize, C)
    private final Dropout drop;
    private final Sequential h;
    private final List<Block> blocks = new ArrayList<>();
    private final LayerNorm lnF;
    private final LmHead lmHead;            // null when tied to wte
    private final Rng rng;                  // dropout draws from it after initialisation

    public Gpt(GptConfig cfg, Rng rng) {
        this.cfg = cfg;
        this.rng = rng;
        int c = cfg.nEmbd();
        this.wte = register("wte", new Embedding(cfg.vocabSize(), c, rng, 0.02));
        this.wpe = cfg.positions() == PositionalEncoding.LEARNED
                ? register("wpe", new Embedding(cfg.blockSize(), c, rng, 0.02)) : null;
        this.sinusoid = cfg.positions() == PositionalEncoding.SINUSOIDAL ? sinusoidTable(cfg.blockSize(), c) : null;
        this.drop = register("drop", new Dropout(cfg.dropout(), rng));
        Module[] bs = new Module[cfg.nLayer()];
        for (int i = 0; i < bs.length; i++) {
            Block b = new Block(cfg, rng);
            blocks.add(b);
            bs[i] = b;
        }
        this.h = register("h", new Sequential(bs));
        this.lnF = register("ln_f", new LayerNorm(c));
        this.lmHead = cfg.tiedHead() ? null : register("lm_head", new LmHead(c, cfg.vocabSize(), rng));
        initLikeGpt2(rng);
    }

    private void initLikeGpt2(Rng rng) {
        double projStd = 0.02 / Math.sqrt(2.0 * cfg.nLayer());
        for (var e : namedParameters().entrySet()) {
            String name = e.getKey();
            Parameter p = e.getValue();
            if (name.startsWith("wte.") || name.startsWith("wpe.")) continue;  // embeddings drawn N(0, 0.02) already
            if (name.contains(".ln_") || name.startsWith("ln_f.")) continue;   // ones and zeros
            if (name.endsWith(".bias")) p.value().assign(0);
            else if (name.endsWith("c_proj.weight")) p.value().assign(rng.normal(p.dtype(), projStd, p.shape()));
            else p.value().assign(rng.normal(p.dtype(), 0.02, p.shape()));
        }
    }

    /** The generator that initialised the model and drives its dropout; its state goes into checkpoints. */
    public Rng rng() {
        return rng;
    }

    public GptConfig config() {
        return cfg;
    }

    public List<Block> blocks() {
        return List.copyOf(blocks);
    }

    /** Every learned tensor: name, shape and count, one per line, with the total (the parameters, not the hyperparameters). */
    public String parameterTable() {
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT, "%-28s %-14s %10s%n", "parameter", "shape", "count"));
        for (var e : namedParameters().entrySet())
            sb.append(String.format(java.util.Locale.ROOT, "%-28s %-14s %,10d%n", e.getKey(),
                    java.util.Arrays.toString(e.getValue().shape()), e.getValue().value().length()));
        return sb.append(String.format(java.util.Locale.ROOT, "%-28s %-14s %,10d", "total", "", parameterCount())).toString();
    }

    INDArray positionTable() {
        return wpe != null ? wpe.weight().value() : sinusoid;
    }

    LayerNorm lnF() {
        return lnF;
    }

    /** The output head as (C, V) (a transposed view of the (V, C) table) and a null bias: GPT-2's head has none. */
    INDArray[] headWeights() {
        INDArray table = lmHead != null ? lmHead.weight().value() : wte.weight().value();  // (V, C)
        return new INDArray[] {table.transpose(), null};
    }

    /** The token embedding table (V, C), for nearest-neighbour and PCA demos. */
    public INDArray tokenEmbeddings() {
        return wte.namedParameters().get("weight").value();
    }

    /** Logits for every position. Shape: ids (B, T) -> (B, T, V). */
    public Tensor forward(INDArray ids) {
        checkIds(ids);
        long t = ids.size(1);
        Tensor x = wte.forward(ids);                                                    // (B, T, C)
        x = addPositions(x, 0, t);
        x = drop.forward(x);
        x = h.forward(x);                                                               // (B, T, C)
        return head(lnF.forward(x));                                                    // (B, T, V)
    }

    /** Mean cross-entropy of predicting {@code targets} (B, T) from {@code ids} (B, T). */
    public Tensor loss(INDArray ids, INDArray targets) {
        if (!java.util.Arrays.equals(ids.shape(), targets.shape()))
            throw new IllegalArgumentException("gpt loss: ids %s and targets %s must have the same shape"
                    .formatted(java.util.Arrays.toString(ids.shape()), java.util.Arrays.toString(targets.shape())));
        return CrossEntropy.apply(forward(ids), targets, CrossEntropy.DEFAULT_IGNORE_INDEX);
    }

    private Tensor addPositions(Tensor x, long from, long t) {
        return switch (cfg.positions()) {
            case LEARNED -> x.add(wpe.forward(Nd4j.arange(from, from + t).castTo(DataType.INT)));   // (B, T, C) + (T, C)
            case SINUSOIDAL -> x.add(Tensor.constant(
                    sinusoid.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + t)).castTo(x.dtype())));
            case ROTARY, NONE -> x;
        };
    }

    private Tensor head(Tensor x) {
        if (lmHead != null) return lmHead.forward(x);                                  // (B, T, V)
        return x.matmul(wte.weight(), false, true);                                    // (B, T, C) x (V, C)^T
    }

    /**
     * Runs a whole context through the model in one pass, filling an empty cache with its keys and values, and
     * returns the logits after its last position. Shape: ids (B, T) -> (B, V).
     */
    public INDArray prefill(INDArray ids, KvCache cache) {
        checkIds(ids);
        if (cache.length() != 0) throw new IllegalStateException("prefill: expected an empty cache, it holds "
                + cache.length() + " positions");
        long t = ids.size(1);
        try (NoGrad ignored = NoGrad.scope()) {
            Tensor x = addPositions(wte.forward(ids), 0, t);                            // (B, T, C)
            for (int i = 0; i < blocks.size(); i++) x = blocks.get(i).forwardPrefill(x, cache.layer(i));
            Tensor logits = head(lnF.forward(x));                                       // (B, T, V)
            cache.setLength((int) t);
            return logits.value().get(NDArrayIndex.all(), NDArrayIndex.point(t - 1)).reshape(ids.size(0), cfg.vocabSize());
        }
    }

    /**
     * Logits for the next token after one new token per sequence at position {@code cache.length()}, reusing the
     * cached keys and values of earlier positions. Shape: ids (B, 1) -> (B, V).
     */
    public INDArray forwardCached(INDArray ids, KvCache cache) {
        checkIds(ids);
        if (ids.size(1) != 1) throw new IllegalArgumentException("forwardCached: expected one new token per sequence (B, 1), got "
                + java.util.Arrays.toString(ids.shape()));
        int pos = cache.length();
        if (pos >= cache.capacity())
            throw new IllegalStateException("forwardCached: the cache is full (%d positions, block size %d)"
                    .formatted(pos, cache.capacity()));
        try (NoGrad ignored = NoGrad.scope()) {
            Tensor x = addPositions(wte.forward(ids), pos, 1);                          // (B, 1, C)
            for (int i = 0; i < blocks.size(); i++) x = blocks.get(i).forwardCached(x, cache.layer(i), pos);
            Tensor logits = head(lnF.forward(x));                                       // (B, 1, V)
            cache.advance();
            return logits.value().reshape(ids.size(0), cfg.vocabSize());               // (B, V)
        }
    }

    private void checkIds(INDArray ids) {
        if (ids.rank() != 2) throw new IllegalArgumentException("gpt: expected token ids (B, T), got shape "
                + java.util.Arrays.toString(ids.shape()));
        if (ids.size(1) > cfg.blockSize())
            throw new IllegalArgumentException("Cannot forward sequence of length %d, block size is only %d"
                    .formatted(ids.size(1), cfg.blockSize()));
        double max = ids.maxNumber().doubleValue(), min = ids.minNumber().doubleValue();
        if (min < 0 || max >= cfg.vocabSize())
            throw new IllegalArgumentException("token id %d is outside the vocabulary of %d"
                    .formatted((long) (min < 0 ? min : max), cfg.vocabSize()));
    }

    /** PE[p, 2i] = sin(p / 10000^(2i/C)), PE[p, 2i+1] = cos(p / 10000^(2i/C)). Shape: (blockSize, C). */
    static INDArray sinusoidTable(int blockSize, int c) {
        double[] pe = new double[blockSize * c];
        for (int p = 0; p < blockSize; p++)
            for (int i = 0; i < c / 2; i++) {
                double angle = p / Math.pow(10000, 2.0 * i / c);
                pe[p * c + 2 * i] = Math.sin(angle);
                pe[p * c + 2 * i + 1] = Math.cos(angle);
            }
        return Nd4j.create(pe, new long[] {blockSize, c}, DataType.DOUBLE);
    }

    /** The sinusoidal table for any size, for the positional-encoding picture. */
    public static INDArray sinusoidalEncoding(int positions, int width) {
        if (positions <= 0 || width <= 0 || width % 2 != 0)
            throw new IllegalArgumentException("sinusoidal encoding: need positive positions and an even width, got %d x %d"
                    .formatted(positions, width));
        return sinusoidTable(positions, width);
    }
}
