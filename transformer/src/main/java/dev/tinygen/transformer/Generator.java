package dev.tinygen.transformer;

import java.util.Arrays;
import java.util.function.IntConsumer;
import dev.tinygen.nn.NoGrad;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.transformer.sample.Sampler;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Autoregressive generation: feed the prompt, pick a token from the last position's logits, append it, repeat.
 *
 * <p>With the cache ({@link CachedDecoder}: keys and values of earlier positions kept, plain Java loops) each new
 * token runs one position through the model; without it, the whole context (cropped to the block size) runs again
 * through ND4J for every token. Both give the same tokens for the same seed. When the context outgrows the block size,
 * the cache is refilled from the last {@code blockSize} tokens, which is what the uncached path sees after cropping.
 */
public final class Generator {
    /**
     * What to generate and how. {@code stopToken} -1 means none; {@code onToken} may be null; {@code cropPrompt}
     * allows a prompt longer than the block size (its last blockSize tokens are used), otherwise it is an error.
     */
    public record Options(int maxNewTokens, Sampler sampler, long seed, boolean useCache, int stopToken,
                          IntConsumer onToken, boolean cropPrompt) {
        public Options {
            if (maxNewTokens < 0) throw new IllegalArgumentException("maxNewTokens must be >= 0, got " + maxNewTokens);
            if (sampler == null) throw new IllegalArgumentException("a sampler is required");
        }

        public static Options of(int maxNewTokens, Sampler sampler, long seed) {
            return new Options(maxNewTokens, sampler, seed, true, -1, null, false);
        }

        public Options withCache(boolean on) {
            return new Options(maxNewTokens, sampler, seed, on, stopToken, onToken, cropPrompt);
        }

        public Options withStopToken(int id) {
            return new Options(maxNewTokens, sampler, seed, useCache, id, onToken, cropPrompt);
        }

        public Options withCallback(IntConsumer cb) {
            return new Options(maxNewTokens, sampler, seed, useCache, stopToken, cb, cropPrompt);
        }

        public Options withCropPrompt(boolean crop) {
            return new Options(maxNewTokens, sampler, seed, useCache, stopToken, onToken, crop);
        }
    }

    private final Gpt model;

    public Generator(Gpt model) {
        this.model = model;
    }

    /**
     * The prompt followed by up to {@code maxNewTokens} generated ids (fewer if the stop token came; it is included).
     * A prompt longer than the block size is an error unless {@link Options#cropPrompt()} allows using its last
     * blockSize tokens.
     */
    public int[] generate(int[] prompt, Options o) {
        if (prompt.length == 0) throw new IllegalArgumentException("generate: the prompt must hold at least one token");
        int v = model.config().vocabSize();
        int block = model.config().blockSize();
        if (prompt.length > block && !o.cropPrompt())
            throw new IllegalArgumentException(("generate: the prompt has %d tokens, more than the block size %d; "
                    + "shorten it or allow cropping to its last %d tokens").formatted(prompt.length, block, block));
        for (int i = 0; i < prompt.length; i++)
            if (prompt[i] < 0 || prompt[i] >= v)
                throw new IllegalArgumentException("token id %d at prompt position %d is outside the vocabulary of %d"
                        .formatted(prompt[i], i, v));
        boolean wasTraining = model.isTraining();
        model.eval();
        try (NoGrad ignored = NoGrad.scope()) {
            return o.useCache() ? cached(prompt, o) : uncached(prompt, o);
        } finally {
            if (wasTraining) model.train();
        }
    }

    private int[] uncached(int[] prompt, Options o) {
        Rng rng = new Rng(o.seed());
        int block = model.config().blockSize();
        int[] seq = Arrays.copyOf(prompt, prompt.length + o.maxNewTokens());
        int len = prompt.length;
        for (int n = 0; n < o.maxNewTokens(); n++) {
            int from = Math.max(0, len - block);
            INDArray ids = ids(seq, from, len);                                          // (1, T)
            Tensor logits = model.forward(ids);                                          // (1, T, V)
            double[] last = logits.value().get(NDArrayIndex.point(0), NDArrayIndex.point(len - from - 1))
                    .castTo(DataType.DOUBLE).toDoubleVector();
            int next = o.sampler().sample(last, rng);
            seq[len++] = next;
            if (o.onToken() != null) o.onToken().accept(next);
            if (next == o.stopToken()) break;
        }
        return Arrays.copyOf(seq, len);
    }

    private int[] cached(int[] prompt, Options o) {
        Rng rng = new Rng(o.seed());
        int block = model.config().blockSize();
        CachedDecoder decoder = new CachedDecoder(model);
        int[] seq = Arrays.copyOf(prompt, prompt.length + o.maxNewTokens());
        int len = prompt.length;
        float[] logits = feed(decoder, seq, Math.max(0, len - block), len);
        for (int n = 0; n < o.maxNewTokens(); n++) {
            int next = o.sampler().sample(toDouble(logits), rng);
            seq[len++] = next;
            if (o.onToken() != null) o.onToken().accept(next);
            if (next == o.stopToken() || n == o.maxNewTokens() - 1) break;
            if (decoder.length() == block) {
                decoder.clear();
                logits = feed(decoder, seq, len - block, len);
            } else {
                logits = decoder.step(next);
            }
        }
        return Arrays.copyOf(seq, len);
    }

    /** Runs seq[from, to) through the decoder; returns the logits after the last position. */
    private static float[] feed(CachedDecoder decoder, int[] seq, int from, int to) {
        float[] logits = null;
        for (int i = from; i < to; i++) logits = decoder.step(seq[i]);
        return logits;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    private static INDArray ids(int[] seq, int from, int to) {
        return Nd4j.createFromArray(Arrays.copyOfRange(seq, from, to)).reshape(1, to - from);
    }
}
