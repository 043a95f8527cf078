package dev.tinygen.transformer.tokenizer;

import java.util.Set;

/**
 * Which special tokens ({@code <|endoftext|>} and the like) {@link BpeTokenizer#encode(String, AllowedSpecial)}
 * may produce when their text appears in the input. As in tiktoken, a special token's text that appears but is
 * not allowed is an error, not silently encoded as ordinary text: a user's document that happens to contain
 * "<|endoftext|>" must not end a training sequence. {@link BpeTokenizer#encodeOrdinary(String)} is the way to
 * encode such text as plain characters.
 */
public final class AllowedSpecial {
    private static final AllowedSpecial ALL = new AllowedSpecial(null);
    private static final AllowedSpecial NONE = new AllowedSpecial(Set.of());

    private final Set<String> tokens;  // null means every special token

    private AllowedSpecial(Set<String> tokens) {
        this.tokens = tokens;
    }

    /** Every special token of the tokenizer becomes its id. */
    public static AllowedSpecial all() {
        return ALL;
    }

    /** No special token may appear (tiktoken's default). */
    public static AllowedSpecial none() {
        return NONE;
    }

    /** Exactly these; any other special token in the text is an error. */
    public static AllowedSpecial of(String... tokens) {
        return new AllowedSpecial(Set.of(tokens));
    }

    public static AllowedSpecial of(Set<String> tokens) {
        return new AllowedSpecial(Set.copyOf(tokens));
    }

    boolean allows(String token) {
        return tokens == null || tokens.contains(token);
    }

    /** The named tokens, or null for {@link #all()}. */
    Set<String> named() {
        return tokens;
    }

    @Override
    public String toString() {
        return tokens == null ? "all" : tokens.isEmpty() ? "none" : tokens.toString();
    }
}
