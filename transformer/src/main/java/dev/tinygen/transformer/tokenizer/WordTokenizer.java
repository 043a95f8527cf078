package dev.tinygen.transformer.tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One token per word, the classic pipeline: split the text into words and punctuation marks, optionally
 * lower-case them, optionally drop English stop words, then look each word up in a vocabulary built from a
 * training text, where a word never seen (or cut by the size limits) becomes {@code <unk>} (id 0).
 * {@link #explain(String)} shows each step for one sentence.
 *
 * <p>Shape: {@code encode} String -> int[T], T words kept; {@code decode} int[T] -> the words joined by spaces
 * (spacing and case are not recoverable).
 */
public final class WordTokenizer implements Tokenizer {
    static final String KIND = "word";
    /** The id of every word outside the vocabulary. */
    public static final int UNKNOWN_ID = 0;
    public static final String UNKNOWN = "<unk>";

    /** Words (letters and marks, with inner apostrophes: "don't"), numbers ("3.14"), or any other single symbol. */
    private static final Pattern SPLIT = Pattern.compile(
            "[\\p{L}\\p{M}]+(?:['\u2019][\\p{L}\\p{M}]+)*|\\p{N}+(?:[.,]\\p{N}+)*|[^\\s\\p{L}\\p{M}\\p{N}]");

    /** NLTK's English stop list. */
    public static final Set<String> ENGLISH_STOP_WORDS = Set.of((
            "i me my myself we our ours ourselves you you're you've you'll you'd your yours yourself yourselves "
            + "he him his himself she she's her hers herself it it's its itself they them their theirs themselves "
            + "what which who whom this that that'll these those am is are was were be been being have has had "
            + "having do does did doing a an the and but if or because as until while of at by for with about "
            + "against between into through during before after above below to from up down in out on off over "
            + "under again further then once here there when where why how all any both each few more most other "
            + "some such no nor not only own same so than too very s t can will just don don't should should've "
            + "now d ll m o re ve y ain aren aren't couldn couldn't didn didn't doesn doesn't hadn hadn't hasn "
            + "hasn't haven haven't isn isn't ma mightn mightn't mustn mustn't needn needn't shan shan't shouldn "
            + "shouldn't wasn wasn't weren weren't won won't wouldn wouldn't").split(" "));

    private final boolean lowercase;
    private final boolean removeStopWords;
    private final List<String> words;             // (V) id -> word, words.get(0) == "<unk>"
    private final Map<String, Integer> ids;       // word -> id

    private WordTokenizer(boolean lowercase, boolean removeStopWords, List<String> words) {
        this.lowercase = lowercase;
        this.removeStopWords = removeStopWords;
        this.words = List.copyOf(words);
        this.ids = new HashMap<>(words.size() * 2);
        for (int i = 0; i < words.size(); i++) ids.put(words.get(i), i);
    }

    /** Lower-cased, stop words kept, every word of {@code text} in the vocabulary. */
    public static WordTokenizer fromText(String text) {
        return builder().build(text);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options for {@link WordTokenizer}; {@link #build(String)} counts the words of a training text. */
    public static final class Builder {
        private boolean lowercase = true;
        private boolean removeStopWords = false;
        private int maxVocab = Integer.MAX_VALUE;
        private int minCount = 1;

        private Builder() {
        }

        /** Fold words to lower case before counting and lookup (default true). */
        public Builder lowercase(boolean on) {
            this.lowercase = on;
            return this;
        }

        /** Drop {@link #ENGLISH_STOP_WORDS} (matched ignoring case) before counting and encoding (default false). */
        public Builder removeStopWords(boolean on) {
            this.removeStopWords = on;
            return this;
        }

        /** At most this many ids, {@code <unk>} included: the most frequent words win, ties alphabetically. */
        public Builder maxVocab(int size) {
            if (size < 2) throw new IllegalArgumentException("word tokenizer: maxVocab must be at least 2 (<unk> and one word), got " + size);
            this.maxVocab = size;
            return this;
        }

        /** Words seen fewer times than this become {@code <unk>} (default 1). */
        public Builder minCount(int count) {
            if (count < 1) throw new IllegalArgumentException("word tokenizer: minCount must be at least 1, got " + count);
            this.minCount = count;
            return this;
        }

        public WordTokenizer build(String text) {
            WordTokenizer splitter = new WordTokenizer(lowercase, removeStopWords, List.of(UNKNOWN));
            Map<String, Integer> counts = new HashMap<>();
            for (String w : splitter.kept(splitter.split(text))) counts.merge(w, 1, Integer::sum);
            if (counts.isEmpty()) {
                throw new IllegalArgumentException("word tokenizer: the training text has no words"
                        + (removeStopWords ? " left after removing stop words" : ""));
            }
            List<Map.Entry<String, Integer>> ranked = new ArrayList<>(counts.entrySet());
            ranked.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
            List<String> vocab = new ArrayList<>();
            vocab.add(UNKNOWN);
            for (Map.Entry<String, Integer> e : ranked) {
                if (vocab.size() >= maxVocab || e.getValue() < minCount) break;
                if (!e.getKey().equals(UNKNOWN)) vocab.add(e.getKey());
            }
            return new WordTokenizer(lowercase, removeStopWords, vocab);
        }
    }

    /** Words and punctuation marks of {@code text}, lower-cased if this tokenizer folds case. */
    public List<String> split(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = SPLIT.matcher(text);
        while (m.find()) out.add(lowercase ? m.group().toLowerCase(Locale.ROOT) : m.group());
        return out;
    }

    /** {@code tokens} without stop words, or unchanged when this tokenizer keeps them. */
    public List<String> kept(List<String> tokens) {
        if (!removeStopWords) return tokens;
        List<String> out = new ArrayList<>(tokens.size());
        for (String t : tokens) {
            if (!ENGLISH_STOP_WORDS.contains(t.toLowerCase(Locale.ROOT))) out.add(t);
        }
        return out;
    }

    @Override
    public int[] encode(String text) {
        List<String> kept = kept(split(text));
        int[] out = new int[kept.size()];
        for (int i = 0; i < out.length; i++) out[i] = ids.getOrDefault(kept.get(i), UNKNOWN_ID);
        return out;
    }

    @Override
    public String decode(int[] tokenIds) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < tokenIds.length; i++) {
            int id = tokenIds[i];
            if (id < 0 || id >= words.size()) throw TokenizerFiles.outside(id, words.size());
            if (i > 0) b.append(' ');
            b.append(words.get(id));
        }
        return b.toString();
    }

    /** Each step of {@link #encode(String)} for {@code sentence}; its {@code toString()} is the table. */
    public Explanation explain(String sentence) {
        List<String> split = split(sentence);
        List<String> kept = kept(split);
        return new Explanation(sentence, split, kept, encode(sentence), removeStopWords);
    }

    /**
     * The pipeline for one sentence: text -> split -> stop words removed -> ids.
     *
     * @param split the words and marks, case-folded if the tokenizer folds case
     * @param kept  the words left after stop-word removal (equal to {@code split} when it is off)
     */
    public record Explanation(String text, List<String> split, List<String> kept, int[] ids, boolean stopWordsRemoved) {
        public Explanation {
            split = List.copyOf(split);
            kept = List.copyOf(kept);
            ids = ids.clone();
        }

        @Override
        public int[] ids() {
            return ids.clone();
        }

        @Override
        public String toString() {
            return "text               " + text + "\n"
                    + "split              " + split + "\n"
                    + "stop words removed " + (stopWordsRemoved ? kept : "(off) " + kept) + "\n"
                    + "ids                " + Arrays.toString(ids);
        }
    }

    /** The id of {@code word} as this tokenizer would fold it, or {@link #UNKNOWN_ID}. */
    public int idOf(String word) {
        return ids.getOrDefault(lowercase ? word.toLowerCase(Locale.ROOT) : word, UNKNOWN_ID);
    }

    /** The word of {@code id}. */
    public String wordOf(int id) {
        if (id < 0 || id >= words.size()) throw TokenizerFiles.outside(id, words.size());
        return words.get(id);
    }

    /** id -> word, {@code <unk>} first. */
    public List<String> vocabulary() {
        return Collections.unmodifiableList(words);
    }

    public boolean lowercases() {
        return lowercase;
    }

    public boolean removesStopWords() {
        return removeStopWords;
    }

    @Override
    public int vocabSize() {
        return words.size();
    }

    @Override
    public String name() {
        return KIND;
    }

    /** Words never hold whitespace (the splitter cuts there), so one word per line is unambiguous. */
    @Override
    public void save(Path path) throws IOException {
        List<String> lines = new ArrayList<>(words.size() + 4);
        lines.add(TokenizerFiles.header(KIND));
        lines.add("lowercase " + lowercase);
        lines.add("stopwords " + removeStopWords);
        lines.add("size " + words.size());
        lines.addAll(words);
        TokenizerFiles.writeAtomically(path, lines);
    }

    static WordTokenizer read(Path path, List<String> lines) throws IOException {
        boolean lower = bool(path, lines, 1, "lowercase");
        boolean stop = bool(path, lines, 2, "stopwords");
        int size = TokenizerFiles.intValue(path, lines, 3, "size");
        if (size < 1 || lines.size() != 4 + size) {
            throw new IOException("tokenizer file " + path + ": header says " + size + " words, file has " + (lines.size() - 4));
        }
        List<String> vocab = lines.subList(4, 4 + size);
        if (!vocab.get(0).equals(UNKNOWN)) {
            throw TokenizerFiles.bad(path, 4, "the first word should be " + UNKNOWN + ", got '" + TokenizerFiles.abbreviate(vocab.get(0)) + "'");
        }
        if (Set.copyOf(vocab).size() != size) throw new IOException("tokenizer file " + path + ": the vocabulary repeats a word");
        return new WordTokenizer(lower, stop, vocab);
    }

    private static boolean bool(Path path, List<String> lines, int index, String key) throws IOException {
        String v = TokenizerFiles.value(path, lines, index, key);
        if (!v.equals("true") && !v.equals("false")) {
            throw TokenizerFiles.bad(path, index, "'" + key + "' should be true or false, got '" + TokenizerFiles.abbreviate(v) + "'");
        }
        return Boolean.parseBoolean(v);
    }
}
