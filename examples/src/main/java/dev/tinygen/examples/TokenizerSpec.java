package dev.tinygen.examples;

import dev.tinygen.transformer.tokenizer.BpeTokenizer;
import dev.tinygen.transformer.tokenizer.CharTokenizer;
import dev.tinygen.transformer.tokenizer.SplitPattern;
import dev.tinygen.transformer.tokenizer.Tokenizer;
import dev.tinygen.transformer.tokenizer.WordTokenizer;

/** Parses the {@code --tokenizer} flag: char, word, bpe:N (trained on the text), tiktoken:NAME. */
final class TokenizerSpec {
    private TokenizerSpec() {}

    /**
     * The character vocabulary comes from the whole text (so validation has no unknown characters, as in nanoGPT);
     * word and BPE vocabularies are learned from the training part only.
     */
    static Tokenizer build(String spec, String wholeText, String trainingText) {
        String s = spec.trim();
        if (s.equals("char")) return CharTokenizer.fromText(wholeText);
        if (s.equals("word")) return WordTokenizer.fromText(trainingText);
        if (s.startsWith("bpe:")) {
            int v;
            try {
                v = Integer.parseInt(s.substring(4));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--tokenizer bpe:N needs a number, got '" + s + "'");
            }
            if (v < 256) throw new IllegalArgumentException("--tokenizer bpe:N needs N >= 256 (the byte alphabet), got " + v);
            return BpeTokenizer.train(trainingText, v, SplitPattern.GPT4);
        }
        if (s.startsWith("tiktoken:")) return BpeTokenizer.tiktoken(s.substring("tiktoken:".length()));
        throw new IllegalArgumentException("--tokenizer: expected char, word, bpe:<vocab size> or tiktoken:<name>, got '" + spec + "'");
    }
}
