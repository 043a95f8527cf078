/**
 * Tokenizers: text to token ids and back, behind one {@link dev.tinygen.transformer.tokenizer.Tokenizer}
 * interface. {@link dev.tinygen.transformer.tokenizer.CharTokenizer} (one id per code point),
 * {@link dev.tinygen.transformer.tokenizer.WordTokenizer} (the classic split, stop words, {@code <unk>} pipeline)
 * and {@link dev.tinygen.transformer.tokenizer.BpeTokenizer} (byte-level BPE, trained minbpe-style or loaded from
 * tiktoken rank files).
 *
 * <p>Shape letters: {@code T} tokens in a sequence, {@code V} the vocabulary size; every id lies in [0, V).
 */
package dev.tinygen.transformer.tokenizer;
