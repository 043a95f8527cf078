package dev.tinygen.transformer.sample;

import java.util.Arrays;
import java.util.Comparator;
import dev.tinygen.nn.Rng;

/**
 * Nucleus sampling: among the smallest set of most likely tokens whose probabilities sum to at least p
 * (renormalised), after temperature. Adapts the number of candidates to how sure the model is.
 */
public final class TopPSampler implements Sampler {
    private final double p;
    private final double temperature;

    public TopPSampler(double p, double temperature) {
        if (!(p > 0 && p <= 1)) throw new IllegalArgumentException("top-p: p must be in (0, 1], got " + p);
        if (!(temperature > 0)) throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        this.p = p;
        this.temperature = temperature;
    }

    @Override
    public int sample(double[] logits, Rng rng) {
        double[] probs = Sampler.probabilities(logits, temperature);
        Integer[] order = new Integer[probs.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -probs[i]).thenComparingInt(i -> i));
        double[] kept = new double[probs.length];
        double acc = 0;
        for (int i : order) {
            kept[i] = probs[i];
            acc += probs[i];
            if (acc >= p) break;
        }
        return Sampler.draw(kept, rng);
    }
}
