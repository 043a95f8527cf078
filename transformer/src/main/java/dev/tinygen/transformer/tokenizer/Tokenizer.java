package dev.tinygen.transformer.tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Text to token ids and back. Every kind (characters, words, byte-level BPE) saves itself to a small text file
 * whose first line names its kind, so {@link #load(Path)} can read any of them back without being told which.
 *
 * <p>Shape: {@code encode} String -> int[T]; {@code decode} int[T] -> String; every id lies in [0, V) with
 * {@code V = vocabSize()}.
 */
public interface Tokenizer {

    /** The token ids of {@code text}. */
    int[] encode(String text);

    /** The text of {@code ids}; an id outside [0, vocabSize()) is refused with a message naming it. */
    String decode(int[] ids);

    /** V: one more than the largest id this tokenizer can produce. */
    int vocabSize();

    /** A short human name: "char", "word", "cl100k_base", "bpe-512"... */
    String name();

    /** Writes this tokenizer to {@code path} atomically (a temporary file, then a rename). */
    void save(Path path) throws IOException;

    /**
     * Reads a tokenizer written by {@link #save(Path)}, of any kind; a file ending in {@code .tiktoken} is read as
     * a tiktoken rank file (see {@link BpeTokenizer#tiktoken(String, Path)}), its encoding named by the file name.
     */
    static Tokenizer load(Path path) throws IOException {
        String file = path.getFileName() == null ? "" : path.getFileName().toString();
        if (file.endsWith(".tiktoken")) {
            return BpeTokenizer.tiktoken(file.substring(0, file.length() - ".tiktoken".length()), path);
        }
        List<String> lines = TokenizerFiles.read(path);
        String kind = TokenizerFiles.kind(path, lines);
        return switch (kind) {
            case CharTokenizer.KIND -> CharTokenizer.read(path, lines);
            case WordTokenizer.KIND -> WordTokenizer.read(path, lines);
            case BpeTokenizer.KIND -> BpeTokenizer.read(path, lines);
            default -> throw new IOException("tokenizer file " + path + ": unknown kind '" + kind
                    + "', expected one of char, word, bpe");
        };
    }
}
