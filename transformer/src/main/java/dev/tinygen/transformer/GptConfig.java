package dev.tinygen.transformer;

import java.util.Locale;

/**
 * The hyperparameters of a GPT: chosen before training, never learned.
 *
 * @param vocabSize  V, tokens the model can read and predict
 * @param blockSize  the longest context in tokens (T at most this)
 * @param nLayer     number of transformer blocks
 * @param nHead      attention heads per block; nEmbd must divide evenly (head size = nEmbd / nHead)
 * @param nEmbd      C, the width of every token's vector
 * @param dropout    drop probability on attention weights and residual branches while training (0 = off)
 * @param positions  how positions are encoded
 * @param tiedHead   whether the output head reuses the token embedding matrix (GPT-2 does; saves V * C parameters)
 */
public record GptConfig(int vocabSize, int blockSize, int nLayer, int nHead, int nEmbd, double dropout,
                        PositionalEncoding positions, boolean tiedHead) {
    public GptConfig {
        if (vocabSize <= 0) throw new IllegalArgumentException("vocabSize must be positive, got " + vocabSize);
        if (blockSize <= 0) throw new IllegalArgumentException("blockSize must be positive, got " + blockSize);
        if (nLayer <= 0) throw new IllegalArgumentException("nLayer must be positive, got " + nLayer);
        if (nHead <= 0) throw new IllegalArgumentException("nHead must be positive, got " + nHead);
        if (nEmbd <= 0) throw new IllegalArgumentException("nEmbd must be positive, got " + nEmbd);
        if (nEmbd % nHead != 0)
            throw new IllegalArgumentException("nEmbd (%d) must be divisible by nHead (%d)".formatted(nEmbd, nHead));
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        if (positions == null) throw new IllegalArgumentException("positions must be set (LEARNED, SINUSOIDAL, ROTARY or NONE)");
        if (positions == PositionalEncoding.ROTARY && (nEmbd / nHead) % 2 != 0)
            throw new IllegalArgumentException("rotary positions need an even head size, got nEmbd/nHead = %d/%d = %d"
                    .formatted(nEmbd, nHead, nEmbd / nHead));
        if (positions == PositionalEncoding.SINUSOIDAL && nEmbd % 2 != 0)
            throw new IllegalArgumentException("sinusoidal positions need an even nEmbd, got " + nEmbd);
    }

    /** 3 layers, 3 heads, 48 wide, block 32: trains in seconds, for tests and first looks. */
    public static GptConfig nano(int vocabSize) {
        return new GptConfig(vocabSize, 32, 3, 3, 48, 0.0, PositionalEncoding.LEARNED, false);
    }

    /** 4 layers, 4 heads, 128 wide, block 64: the CPU recipe of the main job (about 0.8M parameters for V = 77). */
    public static GptConfig cpuSmall(int vocabSize) {
        return new GptConfig(vocabSize, 64, 4, 4, 128, 0.0, PositionalEncoding.LEARNED, false);
    }

    /** 6 layers, 6 heads, 192 wide, block 128: a step closer to a real small model. */
    public static GptConfig mini(int vocabSize) {
        return new GptConfig(vocabSize, 128, 6, 6, 192, 0.0, PositionalEncoding.LEARNED, false);
    }

    public int headSize() {
        return nEmbd / nHead;
    }

    public GptConfig withVocabSize(int v) {
        return new GptConfig(v, blockSize, nLayer, nHead, nEmbd, dropout, positions, tiedHead);
    }

    public GptConfig withBlockSize(int t) {
        return new GptConfig(vocabSize, t, nLayer, nHead, nEmbd, dropout, positions, tiedHead);
    }

    public GptConfig withDropout(double p) {
        return new GptConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, p, positions, tiedHead);
    }

    public GptConfig withPositions(PositionalEncoding p) {
        return new GptConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, dropout, p, tiedHead);
    }

    public GptConfig withTiedHead(boolean tied) {
        return new GptConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, dropout, positions, tied);
    }

    public GptConfig withSize(int layers, int heads, int width) {
        return new GptConfig(vocabSize, blockSize, layers, heads, width, dropout, positions, tiedHead);
    }

    /** Learned parameters this configuration implies, counted from the formula (the model's count must agree). */
    public long parameterCount() {
        long c = nEmbd, v = vocabSize;
        long perBlock = 2 * (2 * c)            // ln_1, ln_2
                + (c * 3 * c + 3 * c)          // attn.c_attn
                + (c * c + c)                  // attn.c_proj
                + (c * 4 * c + 4 * c)          // mlp.c_fc
                + (4 * c * c + c);             // mlp.c_proj
        long total = v * c + nLayer * perBlock + 2 * c;  // wte, blocks, ln_f
        if (positions == PositionalEncoding.LEARNED) total += (long) blockSize * c;
        if (!tiedHead) total += c * v;                   // lm_head.weight (V, C); GPT-2's head has no bias
        return total;
    }

    /** Key=value pairs, for checkpoint metadata. */
    public String toProperties() {
        return String.format(Locale.ROOT,
                "vocabSize=%d,blockSize=%d,nLayer=%d,nHead=%d,nEmbd=%d,dropout=%s,positions=%s,tiedHead=%s",
                vocabSize, blockSize, nLayer, nHead, nEmbd, Double.toString(dropout), positions, tiedHead);
    }

    /** Parses {@link #toProperties()}. */
    public static GptConfig fromProperties(String s) {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        for (String kv : s.split(",")) {
            int eq = kv.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("GptConfig: expected key=value, got '" + kv + "' in '" + s + "'");
            m.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        try {
            return new GptConfig(Integer.parseInt(m.get("vocabSize")), Integer.parseInt(m.get("blockSize")),
                    Integer.parseInt(m.get("nLayer")), Integer.parseInt(m.get("nHead")), Integer.parseInt(m.get("nEmbd")),
                    Double.parseDouble(m.get("dropout")), PositionalEncoding.valueOf(m.get("positions")),
                    Boolean.parseBoolean(m.get("tiedHead")));
        } catch (NullPointerException | IllegalArgumentException e) {
            throw new IllegalArgumentException("GptConfig: cannot parse '" + s + "': " + e.getMessage(), e);
        }
    }

    /** The hyperparameter table: what was chosen, as opposed to the parameters that are learned. */
    public String describe() {
        return String.format(Locale.ROOT,
                "hyperparameters (chosen): vocab %d, block %d, layers %d, heads %d, width %d (head size %d), dropout %.2f, "
                        + "positions %s, head %s%nparameters (learned): %,d",
                vocabSize, blockSize, nLayer, nHead, nEmbd, headSize(), dropout, positions.name().toLowerCase(Locale.ROOT),
                tiedHead ? "tied to embedding" : "separate", parameterCount());
    }
}
