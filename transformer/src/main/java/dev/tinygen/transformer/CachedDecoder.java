package dev.tinygen.transformer;

import dev.tinygen.nn.layers.LayerNorm;
import dev.tinygen.nn.layers.Linear;
import dev.tinygen.nn.ops.RotaryEncoding;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Generation for one sequence with a KV cache, in plain Java over float arrays (as llama2.c and llama3.java do).
 *
 * <p>One new token is a handful of matrix-vector products of a few hundred by a few hundred: each ND4J call would
 * cost more in overhead (7-60 us, ND4J-NOTES.md) than its arithmetic, and a token of the main job's model takes
 * about 90 of them. Here the weights are copied once into row-major float arrays, every buffer is preallocated, and a
 * token is one pass of loops. The computation is {@link Gpt#forward}'s, position by position; its logits match the
 * model's to float rounding (tested).
 *
 * <p>Shape: per layer, keys and values (blockSize, C), heads side by side in C as in the packed qkv layout.
 * The decoder is a snapshot: weights changed after construction are not seen.
 */
public final class CachedDecoder {
    private final GptConfig cfg;
    private final int c;
    private final int nh;
    private final int hs;
    private final float[] wte;          // (V, C)
    private final float[] positions;    // (blockSize, C), or null for rotary/none
    private final Layer[] layers;
    private final float[] lnFw;
    private final float[] lnFb;
    private final float lnFEps;
    private final float[] head;         // (C, V)
    private final float[] headBias;     // (V) or null
    private final float[] cos;          // (blockSize, hs/2) rotary tables, or null
    private final float[] sin;

    // preallocated state
    private final float[] x;
    private final float[] xn;
    private final float[] qkv;
    private final float[] att;
    private final float[] scores;
    private final float[] hidden;
    private final float[] logits;
    private int length;

    private record Layer(float[] ln1w, float[] ln1b, float ln1Eps, float[] wAttn, float[] bAttn, float[] wProj,
                         float[] bProj, float[] ln2w, float[] ln2b, float ln2Eps, float[] wFc, float[] bFc,
                         float[] wOut, float[] bOut, float[] keys, float[] values) {}

    public CachedDecoder(Gpt model) {
        this.cfg = model.config();
        this.c = cfg.nEmbd();
        this.nh = cfg.nHead();
        this.hs = cfg.headSize();
        this.wte = floats(model.tokenEmbeddings());
        INDArray pos = model.positionTable();
        this.positions = pos == null ? null : floats(pos);
        this.layers = new Layer[cfg.nLayer()];
        int t = cfg.blockSize();
        for (int i = 0; i < layers.length; i++) {
            Block b = model.blocks().get(i);
            MultiHeadAttention a = b.attention();
            layers[i] = new Layer(floats(b.ln1().weight().value()), floats(b.ln1().bias().value()), (float) b.ln1().eps(),
                    floats(a.cAttn().weight().value()), bias(a.cAttn()), floats(a.cProj().weight().value()), bias(a.cProj()),
                    floats(b.ln2().weight().value()), floats(b.ln2().bias().value()), (float) b.ln2().eps(),
                    floats(b.mlp().cFc().weight().value()), bias(b.mlp().cFc()),
                    floats(b.mlp().cProj().weight().value()), bias(b.mlp().cProj()),
                    new float[t * c], new float[t * c]);
        }
        LayerNorm lnF = model.lnF();
        this.lnFw = floats(lnF.weight().value());
        this.lnFb = floats(lnF.bias().value());
        this.lnFEps = (float) lnF.eps();
        INDArray[] hw = model.headWeights();
        this.head = floats(hw[0]);
        this.headBias = hw[1] == null ? null : floats(hw[1]);
        if (cfg.positions() == PositionalEncoding.ROTARY) {
            INDArray[] cs = RotaryEncoding.tables(DataType.FLOAT, t, hs, 0);
            cos = floats(cs[0]);
            sin = floats(cs[1]);
        } else {
            cos = null;
            sin = null;
        }
        x = new float[c];
        xn = new float[c];
        qkv = new float[3 * c];
        att = new float[c];
        scores = new float[t];
        hidden = new float[4 * c];
        logits = new float[cfg.vocabSize()];
    }

    /** Positions filled so far. */
    public int length() {
        return length;
    }

    /** Forgets every position. */
    public void clear() {
        length = 0;
    }

    /**
     * Feeds the token at the next position and returns the logits for the token after it (length V; the array is
     * reused by the next call).
     */
    public float[] step(int token) {
        if (token < 0 || token >= cfg.vocabSize())
            throw new IllegalArgumentException("token id %d is outside the vocabulary of %d".formatted(token, cfg.vocabSize()));
        if (length >= cfg.blockSize())
            throw new IllegalStateException("the cache is full (%d positions, block size %d)".formatted(length, cfg.blockSize()));
        int pos = length;
        System.arraycopy(wte, token * c, x, 0, c);
        if (positions != null) for (int i = 0; i < c; i++) x[i] += positions[pos * c + i];
        for (Layer l : layers) {
            layerNorm(x, l.ln1w, l.ln1b, l.ln1Eps, xn);
            matvec(xn, l.wAttn, l.bAttn, qkv, c, 3 * c);                               // (3C)
            if (cos != null) rotate(qkv, pos);
            System.arraycopy(qkv, c, l.keys, pos * c, c);
            System.arraycopy(qkv, 2 * c, l.values, pos * c, c);
            attend(l, pos);                                                             // att: (C)
            matvec(att, l.wProj, l.bProj, xn, c, c);
            for (int i = 0; i < c; i++) x[i] += xn[i];
            layerNorm(x, l.ln2w, l.ln2b, l.ln2Eps, xn);
            matvec(xn, l.wFc, l.bFc, hidden, c, 4 * c);                                 // (4C)
            for (int i = 0; i < hidden.length; i++) hidden[i] = gelu(hidden[i]);
            matvec(hidden, l.wOut, l.bOut, xn, 4 * c, c);
            for (int i = 0; i < c; i++) x[i] += xn[i];
        }
        layerNorm(x, lnFw, lnFb, lnFEps, xn);
        matvec(xn, head, headBias, logits, c, cfg.vocabSize());                         // (V)
        length++;
        return logits;
    }

    /** Causal attention of the query in qkv[0, C) over cached positions 0..pos, each head on its own. */
    private void attend(Layer l, int pos) {
        float scale = (float) (1.0 / Math.sqrt(hs));
        for (int h = 0; h < nh; h++) {
            int off = h * hs;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j <= pos; j++) {
                float s = 0;
                int k = j * c + off;
                for (int e = 0; e < hs; e++) s += qkv[off + e] * l.keys[k + e];
                s *= scale;
                scores[j] = s;
                if (s > max) max = s;
            }
            float z = 0;
            for (int j = 0; j <= pos; j++) z += (scores[j] = (float) Math.exp(scores[j] - max));
            for (int e = 0; e < hs; e++) att[off + e] = 0;
            for (int j = 0; j <= pos; j++) {
                float w = scores[j] / z;
                int v = j * c + off;
                for (int e = 0; e < hs; e++) att[off + e] += w * l.values[v + e];
            }
        }
    }

    /** RotaryEncoding's rotation of the query and key parts at one position. */
    private void rotate(float[] v, int pos) {
        int half = hs / 2;
        for (int part = 0; part < 2; part++)
            for (int h = 0; h < nh; h++)
                for (int i = 0; i < half; i++) {
                    int j = part * c + h * hs + 2 * i;
                    float co = cos[pos * half + i], si = sin[pos * half + i];
                    float a = v[j], b = v[j + 1];
                    v[j] = a * co - b * si;
                    v[j + 1] = a * si + b * co;
                }
    }

    /** out = in W + b, W row-major (n, m): the inner loop runs along a row of W, which the JIT vectorises. */
    private static void matvec(float[] in, float[] w, float[] b, float[] out, int n, int m) {
        if (b != null) System.arraycopy(b, 0, out, 0, m);
        else java.util.Arrays.fill(out, 0, m, 0f);
        for (int i = 0; i < n; i++) {
            float xi = in[i];
            int row = i * m;
            for (int j = 0; j < m; j++) out[j] += xi * w[row + j];
        }
    }

    private static void layerNorm(float[] in, float[] g, float[] b, float eps, float[] out) {
        int n = g.length;
        double mean = 0;
        for (int i = 0; i < n; i++) mean += in[i];
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) {
            double d = in[i] - mean;
            var += d * d;
        }
        float rstd = (float) (1.0 / Math.sqrt(var / n + eps));
        for (int i = 0; i < n; i++) out[i] = (float) (in[i] - mean) * rstd * g[i] + b[i];
    }

    private static float gelu(float v) {
        double u = Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v);
        return (float) (0.5 * v * (1 + Math.tanh(u)));
    }

    private static float[] bias(Linear l) {
        return l.bias() == null ? null : floats(l.bias().value());
    }

    private static float[] floats(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }
}
