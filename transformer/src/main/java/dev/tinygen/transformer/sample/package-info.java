/**
 * Choosing the next token from a model's logits: {@link dev.tinygen.transformer.sample.Sampler} and its
 * implementations (greedy, pure sampling with temperature, top-k, top-p).
 */
package dev.tinygen.transformer.sample;
