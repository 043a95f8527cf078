package dev.tinygen.examples.demo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import dev.tinygen.transformer.tokenizer.BpeTokenizer;
import dev.tinygen.transformer.tokenizer.CharTokenizer;
import dev.tinygen.transformer.tokenizer.SplitPattern;
import dev.tinygen.transformer.tokenizer.Tokenizer;
import dev.tinygen.transformer.tokenizer.WordTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Tokenization step by step: the classic word pipeline (split, drop stop words, look up ids, unknown words become
 * {@code <unk>}), then characters, words and byte-level BPE side by side on the same sentence: how many tokens each
 * needs, which pieces, and which cases fall outside the vocabulary.
 */
@Command(name = "demo-tokenize", mixinStandardHelpOptions = true,
        description = {"Text -> split -> stop words -> ids, and char vs word vs BPE on the same sentence.",
            "Writes comparison.csv (one row per tokenizer) and tokens.csv (one row per token).",
            "Example: tinygen demo-tokenize --sentence \"Nell's grandfather doesn't gamble; he tokenizes!\""})
public final class TokenizationDemo implements Callable<Integer> {
    @Mixin DemoOptions common = new DemoOptions();
    @Option(names = "--sentence", defaultValue = "The old man doesn't understand tokenization, but Nell smiled at 3 o'clock \u263a.",
            description = "The sentence to tokenize (default: '${DEFAULT-VALUE}').") String sentence;
    @Option(names = "--bpe-vocab", defaultValue = "512", description = "Vocabulary of the BPE trained on the text, >= 256 (default: ${DEFAULT-VALUE}).")
    int bpeVocab;
    @Option(names = "--bpe-chars", defaultValue = "100000",
            description = "Characters of the training text the BPE learns its merges from (default: ${DEFAULT-VALUE}).") int bpeChars;
    @Option(names = "--tiktoken", defaultValue = "cl100k_base",
            description = "Also compare OpenAI's encoding of this name when its rank file is on the classpath; 'none' to skip (default: ${DEFAULT-VALUE}).")
    String tiktoken;

    /** One tokenizer's view of the sentence. */
    public record Row(String tokenizer, int vocabSize, int[] ids, List<String> pieces, int unknown, double tokensPerChar) {}

    @Override
    public Integer call() throws Exception {
        if (sentence.isBlank()) throw new IllegalArgumentException("--sentence is empty");
        if (bpeVocab < 256) throw new IllegalArgumentException("--bpe-vocab must be >= 256 (the byte alphabet), got " + bpeVocab);
        if (bpeChars < 1) throw new IllegalArgumentException("--bpe-chars must be >= 1, got " + bpeChars);
        DemoCorpus corpus = common.corpus();
        Path out = common.outputFolder("demo-tokenize");
        String train = corpus.trainText();
        String val = corpus.valText();

        WordTokenizer words = WordTokenizer.builder().removeStopWords(true).build(train);
        System.out.println("The classic pipeline (word tokenizer learned from " + corpus.name() + ", stop words removed):");
        WordTokenizer.Explanation ex = words.explain(sentence);
        System.out.println(ex);
        List<String> looked = new ArrayList<>();
        for (int i = 0; i < ex.kept().size(); i++)
            looked.add(ex.kept().get(i) + "->" + (ex.ids()[i] == WordTokenizer.UNKNOWN_ID ? WordTokenizer.UNKNOWN : ex.ids()[i]));
        System.out.println("lookup             " + looked);
        System.out.println();

        List<Row> rows = new ArrayList<>();
        CharTokenizer chars = CharTokenizer.fromText(train).withUnknown('\ufffd');
        rows.add(row("char", chars, sentence, val, chars.unknownId()));
        rows.add(row("word (stop words kept)", WordTokenizer.fromText(train), sentence, val, WordTokenizer.UNKNOWN_ID));
        rows.add(row("word (stop words removed)", words, sentence, val, WordTokenizer.UNKNOWN_ID));
        String bpeText = train.substring(0, Math.min(bpeChars, train.length()));
        rows.add(row("bpe-" + bpeVocab + " (learned here)", BpeTokenizer.train(bpeText, bpeVocab, SplitPattern.GPT4), sentence, val, -1));
        String tiktokenNote = null;
        if (!tiktoken.equalsIgnoreCase("none")) {
            try {
                rows.add(row(tiktoken, BpeTokenizer.tiktoken(tiktoken), sentence, val, -1));
            } catch (IllegalStateException e) {
                tiktokenNote = e.getMessage();
            }
        }

        System.out.printf(Locale.ROOT, "%-28s %8s %7s %8s %14s  %s%n", "tokenizer", "vocab", "tokens", "unknown", "tokens/char*", "pieces");
        Csv comparison = new Csv("tokenizer", "vocab_size", "tokens", "unknown", "val_tokens_per_char");
        Csv tokens = new Csv("tokenizer", "position", "id", "piece");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "%-28s %8d %7d %8d %14.3f  %s%n", r.tokenizer(), r.vocabSize(), r.ids().length,
                    r.unknown(), r.tokensPerChar(), String.join("|", r.pieces().stream().map(DemoOptions::label).toList()));
            comparison.row(r.tokenizer(), r.vocabSize(), r.ids().length, r.unknown(), r.tokensPerChar());
            for (int i = 0; i < r.ids().length; i++) tokens.row(r.tokenizer(), i, r.ids()[i], r.pieces().get(i));
        }
        System.out.println("* tokens per character over the validation text: fewer means each token carries more text.");
        if (tiktokenNote != null) System.out.println("(" + tiktoken + " skipped: " + tiktokenNote + ")");
        System.out.println("unknown: tokens that stand for something the vocabulary lacks (<unk>, or \ufffd for an unseen character);"
                + " byte-level BPE has none, as every byte is in its alphabet.");
        comparison.write(out.resolve("comparison.csv"));
        tokens.write(out.resolve("tokens.csv"));

        Figures f = new Figures().put("demo", "tokenize").put("sentence_chars", sentence.length());
        for (Row r : rows) {
            String key = r.tokenizer().replaceAll("[^A-Za-z0-9]+", "_").replaceAll("_+$", "");
            f.put(key + "_tokens", r.ids().length).put(key + "_unknown", r.unknown());
        }
        System.out.println(f.put("out", out.toString()).toJson());
        return 0;
    }

    /** Encodes the sentence; {@code unknownId} -1 means the tokenizer has no unknown token. */
    static Row row(String name, Tokenizer tok, String sentence, String val, int unknownId) {
        int[] ids = tok.encode(sentence);
        List<String> pieces = new ArrayList<>(ids.length);
        int unknown = 0;
        for (int id : ids) {
            if (id == unknownId) unknown++;
            pieces.add(tok instanceof BpeTokenizer b ? new String(b.tokenBytes(id), StandardCharsets.UTF_8)
                    : tok instanceof WordTokenizer w ? w.wordOf(id) : tok.decode(new int[] {id}));
        }
        double perChar = val.isEmpty() ? Double.NaN : (double) tok.encode(val).length / val.length();
        return new Row(name, tok.vocabSize(), ids, pieces, unknown, perChar);
    }
}
