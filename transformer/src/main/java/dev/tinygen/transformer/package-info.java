/**
 * A GPT built from its named parts: {@link dev.tinygen.transformer.GptConfig}, token embedding, a
 * {@link dev.tinygen.transformer.PositionalEncoding}, {@link dev.tinygen.transformer.Block}s of
 * {@link dev.tinygen.transformer.MultiHeadAttention} and {@link dev.tinygen.transformer.FeedForward}, final layer
 * norm and a head to the vocabulary; generation with a {@link dev.tinygen.transformer.KvCache} and
 * {@link dev.tinygen.transformer.sample.Sampler}s; tokenizers and the bigram baseline.
 *
 * <p>Shape letters: {@code B} batch, {@code T} time (positions, at most blockSize), {@code C} embedding width
 * (nEmbd), {@code V} vocabulary, {@code nh} heads, {@code hs} head size = C / nh.
 */
package dev.tinygen.transformer;
