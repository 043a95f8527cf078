package dev.tinygen.transformer.tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One token per Unicode code point: the vocabulary is the sorted distinct code points of a training text, so a
 * character outside the Basic Multilingual Plane (an emoji, a rare CJK ideograph) is one token, not two
 * surrogate halves. A character never seen in training is an error naming it and its position, unless an
 * unknown character was chosen with {@link #withUnknown(int)}: then it encodes as that character's id.
 *
 * <p>Shape: {@code encode} String of T code points -> int[T]; {@code decode} int[T] -> String.
 */
public final class CharTokenizer implements Tokenizer {
    static final String KIND = "char";
    private static final int NONE = -1;

    private final int[] codePoints;   // (V) sorted ascending; id = index
    private final int unknownId;      // id used for unseen characters, or NONE to refuse them

    private CharTokenizer(int[] codePoints, int unknownId) {
        this.codePoints = codePoints;
        this.unknownId = unknownId;
    }

    /** The vocabulary of {@code text}: its distinct code points, sorted. */
    public static CharTokenizer fromText(String text) {
        if (text.isEmpty()) throw new IllegalArgumentException("char tokenizer: the training text is empty");
        return new CharTokenizer(text.codePoints().sorted().distinct().toArray(), NONE);
    }

    /**
     * A tokenizer that encodes characters outside the vocabulary as {@code codePoint} (e.g. '?' or U+FFFD),
     * adding it to the vocabulary if it is not there yet.
     */
    public CharTokenizer withUnknown(int codePoint) {
        if (!Character.isValidCodePoint(codePoint)) {
            throw new IllegalArgumentException("char tokenizer: unknown character " + codePoint + " is not a code point");
        }
        int at = Arrays.binarySearch(codePoints, codePoint);
        if (at >= 0) return new CharTokenizer(codePoints, at);
        int insert = -at - 1;
        int[] grown = new int[codePoints.length + 1];
        System.arraycopy(codePoints, 0, grown, 0, insert);
        grown[insert] = codePoint;
        System.arraycopy(codePoints, insert, grown, insert + 1, codePoints.length - insert);
        return new CharTokenizer(grown, insert);
    }

    @Override
    public int[] encode(String text) {
        int[] ids = new int[text.codePointCount(0, text.length())];
        int n = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int id = Arrays.binarySearch(codePoints, cp);
            if (id < 0) {
                if (unknownId == NONE) {
                    throw new IllegalArgumentException("char tokenizer: character " + TokenizerFiles.describe(cp)
                            + " at index " + i + " is not in the vocabulary of " + codePoints.length
                            + " characters (use withUnknown(...) to map unseen characters to one id)");
                }
                id = unknownId;
            }
            ids[n++] = id;
            i += Character.charCount(cp);
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder b = new StringBuilder(ids.length);
        for (int id : ids) {
            if (id < 0 || id >= codePoints.length) throw TokenizerFiles.outside(id, codePoints.length);
            b.appendCodePoint(codePoints[id]);
        }
        return b.toString();
    }

    /** The id of {@code codePoint}, or -1 if it is not in the vocabulary. */
    public int idOf(int codePoint) {
        int at = Arrays.binarySearch(codePoints, codePoint);
        return at >= 0 ? at : -1;
    }

    /** The code point of token {@code id}. */
    public int codePointOf(int id) {
        if (id < 0 || id >= codePoints.length) throw TokenizerFiles.outside(id, codePoints.length);
        return codePoints[id];
    }

    /** The id unseen characters encode to, or -1 when they are refused. */
    public int unknownId() {
        return unknownId;
    }

    @Override
    public int vocabSize() {
        return codePoints.length;
    }

    @Override
    public String name() {
        return KIND;
    }

    /** Code points are written as decimal numbers, one per line, so newlines and BOMs in the vocabulary survive. */
    @Override
    public void save(Path path) throws IOException {
        List<String> lines = new ArrayList<>(codePoints.length + 3);
        lines.add(TokenizerFiles.header(KIND));
        lines.add("unknown " + unknownId);
        lines.add("size " + codePoints.length);
        for (int cp : codePoints) lines.add(Integer.toString(cp));
        TokenizerFiles.writeAtomically(path, lines);
    }

    static CharTokenizer read(Path path, List<String> lines) throws IOException {
        int unknown = TokenizerFiles.intValue(path, lines, 1, "unknown");
        int size = TokenizerFiles.intValue(path, lines, 2, "size");
        if (lines.size() != 3 + size) {
            throw new IOException("tokenizer file " + path + ": header says " + size + " characters, file has "
                    + (lines.size() - 3));
        }
        int[] cps = new int[size];
        for (int i = 0; i < size; i++) {
            int cp;
            try {
                cp = Integer.parseInt(lines.get(3 + i));
            } catch (NumberFormatException e) {
                throw TokenizerFiles.bad(path, 3 + i, "expected a code point, got '"
                        + TokenizerFiles.abbreviate(lines.get(3 + i)) + "'");
            }
            if (!Character.isValidCodePoint(cp) || (i > 0 && cp <= cps[i - 1])) {
                throw TokenizerFiles.bad(path, 3 + i, "code point " + cp + " is invalid or out of ascending order");
            }
            cps[i] = cp;
        }
        if (unknown < NONE || unknown >= size) {
            throw new IOException("tokenizer file " + path + ": unknown id " + unknown + " is outside the vocabulary of " + size);
        }
        return new CharTokenizer(cps, unknown);
    }
}
