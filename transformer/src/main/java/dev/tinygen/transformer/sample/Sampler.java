package dev.tinygen.transformer.sample;

import dev.tinygen.nn.Rng;

/** Picks the next token id from one position's logits (length V). */
@FunctionalInterface
public interface Sampler {
    int sample(double[] logits, Rng rng);

    /** softmax(logits / temperature), computed stably (max subtracted). */
    static double[] probabilities(double[] logits, double temperature) {
        if (!(temperature > 0)) throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        if (logits.length == 0) throw new IllegalArgumentException("logits must not be empty");
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) max = Math.max(max, l);
        double[] p = new double[logits.length];
        double z = 0;
        for (int i = 0; i < p.length; i++) z += (p[i] = Math.exp((logits[i] - max) / temperature));
        for (int i = 0; i < p.length; i++) p[i] /= z;
        return p;
    }

    /** Entropy in nats of a probability vector: how unsure the model is about the next token. */
    static double entropy(double[] p) {
        double h = 0;
        for (double x : p) if (x > 0) h -= x * Math.log(x);
        return h;
    }

    /** Draws an index from (unnormalised, non-negative) weights using one uniform number. */
    static int draw(double[] weights, Rng rng) {
        double total = 0;
        for (double w : weights) total += w;
        double u = rng.nextDouble() * total;
        double acc = 0;
        int last = -1;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] <= 0) continue;
            acc += weights[i];
            last = i;
            if (u < acc) return i;
        }
        return last;
    }
}
