package dev.tinygen.transformer.tokenizer;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The regular expression that cuts text into chunks before byte-pair merging, so a merge never joins across a
 * chunk boundary (a word and the punctuation after it, or letters and digits). The patterns are tiktoken's, in
 * Java syntax: compiled with {@link Pattern#UNICODE_CHARACTER_CLASS} so that {@code \s} is Unicode white space
 * as in tiktoken's Rust regex, and with {@code \z} where tiktoken writes {@code $} (end of text there; Java's
 * {@code $} would also match before a final line terminator).
 *
 * @param name  a short name, written into saved tokenizers
 * @param regex the pattern, or null for {@link #NONE} (the whole text is one chunk, as in minbpe's basic tokenizer)
 */
public record SplitPattern(String name, String regex) {

    /** No pre-splitting: merges may cross spaces and punctuation. */
    public static final SplitPattern NONE = new SplitPattern("none", null);

    /** GPT-2 / r50k_base / p50k_base. */
    public static final SplitPattern GPT2 = new SplitPattern("gpt2",
            "'(?:[sdmt]|ll|ve|re)| ?\\p{L}++| ?\\p{N}++| ?[^\\s\\p{L}\\p{N}]++|\\s++\\z|\\s+(?!\\S)|\\s");

    /** GPT-4 / cl100k_base: case-insensitive contractions, digits in groups of at most three. */
    public static final SplitPattern GPT4 = new SplitPattern("gpt4",
            "'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}++|\\p{N}{1,3}+| ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*+"
                    + "|\\s++\\z|\\s*[\\r\\n]|\\s+(?!\\S)|\\s");

    /** GPT-4o / o200k_base: words also split at case changes, contractions stay on their word. */
    public static final SplitPattern O200K = new SplitPattern("o200k", String.join("|", List.of(
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
            "\\p{N}{1,3}",
            " ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*",
            "\\s*[\\r\\n]+",
            "\\s+(?!\\S)",
            "\\s+")));

    public SplitPattern {
        if (name == null || name.isBlank() || name.contains(" ")) {
            throw new IllegalArgumentException("split pattern name must be one non-blank word, got '" + name + "'");
        }
        if (regex != null) compile(regex);
    }

    /** A pattern of one's own; every character of a text must fall in some match, or it is dropped. */
    public static SplitPattern custom(String regex) {
        if (regex == null) throw new IllegalArgumentException("custom split pattern: regex is null");
        return new SplitPattern("custom", regex);
    }

    /** The built-in pattern called {@code name} (none, gpt2, gpt4, o200k). */
    public static SplitPattern named(String name) {
        return switch (name) {
            case "none" -> NONE;
            case "gpt2" -> GPT2;
            case "gpt4" -> GPT4;
            case "o200k" -> O200K;
            default -> throw new IllegalArgumentException("unknown split pattern '" + name + "', expected none, gpt2, gpt4 or o200k");
        };
    }

    /** The compiled pattern, or null for {@link #NONE}. */
    Pattern compiled() {
        return regex == null ? null : compile(regex);
    }

    private static Pattern compile(String regex) {
        try {
            return Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("split pattern does not compile: " + e.getMessage(), e);
        }
    }
}
