package dev.tinygen.transformer.sample;

import java.util.Arrays;
import dev.tinygen.nn.Rng;

/** Samples among the k most likely tokens only (renormalised), after temperature. */
public final class TopKSampler implements Sampler {
    private final int k;
    private final double temperature;

    public TopKSampler(int k, double temperature) {
        if (k <= 0) throw new IllegalArgumentException("top-k: k must be positive, got " + k);
        if (!(temperature > 0)) throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        this.k = k;
        this.temperature = temperature;
    }

    @Override
    public int sample(double[] logits, Rng rng) {
        double[] p = Sampler.probabilities(logits, temperature);
        if (k < p.length) {
            double[] sorted = p.clone();
            Arrays.sort(sorted);
            double kth = sorted[sorted.length - k];
            int kept = 0;
            for (int i = 0; i < p.length; i++) {
                // keep exactly k: strictly larger ones, then ties with the k-th in index order
                if (p[i] > kth) kept++;
            }
            int tiesAllowed = k - kept;
            for (int i = 0; i < p.length; i++) {
                if (p[i] > kth) continue;
                if (p[i] == kth && tiesAllowed > 0) tiesAllowed--;
                else p[i] = 0;
            }
        }
        return Sampler.draw(p, rng);
    }
}
