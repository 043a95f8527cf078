package dev.tinygen.transformer.sample;

import dev.tinygen.nn.Rng;

/**
 * Pure sampling from softmax(logits / temperature). Temperature 1 samples the model's own distribution; below 1
 * sharpens it towards greedy, above 1 flattens it towards uniform.
 */
public final class TemperatureSampler implements Sampler {
    private final double temperature;

    public TemperatureSampler(double temperature) {
        if (!(temperature > 0)) throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        this.temperature = temperature;
    }

    @Override
    public int sample(double[] logits, Rng rng) {
        return Sampler.draw(Sampler.probabilities(logits, temperature), rng);
    }
}
