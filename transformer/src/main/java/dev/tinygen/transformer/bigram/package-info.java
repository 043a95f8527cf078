/**
 * The count-based bigram language model, the baseline a trained transformer has to beat.
 *
 * <p>Shape letters: {@code T} tokens in a sequence, {@code V} the vocabulary size.
 */
package dev.tinygen.transformer.bigram;
