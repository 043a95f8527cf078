package dev.tinygen.transformer.sample;

import dev.tinygen.nn.Rng;

/** Always the most likely token (the first on ties). Deterministic; tends to repeat itself. */
public final class GreedySampler implements Sampler {
    @Override
    public int sample(double[] logits, Rng rng) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }
}
