package dev.tinygen.examples;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import dev.tinygen.examples.demo.Csv;
import dev.tinygen.examples.demo.DemoCorpus;
import dev.tinygen.examples.demo.DemoOptions;
import dev.tinygen.nn.Backend;
import dev.tinygen.transformer.tokenizer.BpeTokenizer;
import dev.tinygen.transformer.tokenizer.SplitPattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Learns a byte-level BPE tokenizer (minbpe's algorithm, {@link BpeTokenizer#train}) from the training part of a
 * text, saves it, prints its first merges and measures its compression, UTF-8 bytes per token, on the text it
 * learned from and on the held-out last 10% (a tokenizer fitted too closely to its text compresses new text less).
 */
@Command(name = "train-bpe", mixinStandardHelpOptions = true,
        description = {"Train a byte-level BPE tokenizer on a text; print its first merges and its compression (bytes/token).",
            "Writes tokenizer.txt (readable by tokenize --tokenizer file:...) and merges.csv.",
            "Example: tinygen train-bpe --vocab 1024 --data book.txt --out runs/bpe"})
public final class TrainBpeCommand implements Callable<Integer> {
    @Mixin DemoOptions common = new DemoOptions();
    @Option(names = "--vocab", defaultValue = "512", description = "Vocabulary size, >= 256 (the bytes) (default: ${DEFAULT-VALUE}).")
    int vocab;
    @Option(names = "--split", defaultValue = "gpt4", description = "Pre-split pattern: gpt2 | gpt4 | o200k | none (default: ${DEFAULT-VALUE}).")
    String split;
    @Option(names = "--train-chars", description = "Learn from the first N characters of the training part only (quick runs; default: all of it).")
    Integer trainChars;
    @Option(names = "--show", defaultValue = "20", description = "Merges printed (default: ${DEFAULT-VALUE}).") int show;

    static SplitPattern pattern(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "gpt2" -> SplitPattern.GPT2;
            case "gpt4" -> SplitPattern.GPT4;
            case "o200k" -> SplitPattern.O200K;
            case "none" -> SplitPattern.NONE;
            default -> throw new IllegalArgumentException("--split: expected gpt2, gpt4, o200k or none, got '" + name + "'");
        };
    }

    /** UTF-8 bytes per token of {@code text}: how much text one token carries on average. */
    static double bytesPerToken(BpeTokenizer tok, String text) {
        int tokens = tok.encode(text).length;
        if (tokens == 0) throw new IllegalArgumentException("bytes per token: the text is empty");
        return (double) text.getBytes(StandardCharsets.UTF_8).length / tokens;
    }

    @Override
    public Integer call() throws Exception {
        if (vocab < 256) throw new IllegalArgumentException("--vocab must be >= 256 (one id per byte), got " + vocab);
        if (trainChars != null && trainChars < 1) throw new IllegalArgumentException("--train-chars must be >= 1, got " + trainChars);
        if (show < 0) throw new IllegalArgumentException("--show must be >= 0, got " + show);
        SplitPattern sp = pattern(split);
        System.out.println(Backend.describe());
        DemoCorpus corpus = common.corpus();
        String train = corpus.trainText();
        if (trainChars != null) train = train.substring(0, Math.min(trainChars, train.length()));
        String heldOut = corpus.valText();
        Path out = common.outputFolder("bpe");
        System.out.printf(Locale.ROOT, "learning %d merges from %,d characters of %s (split %s)...%n", vocab - 256,
                train.length(), corpus.name(), sp.name());
        long t0 = System.nanoTime();
        BpeTokenizer tok = BpeTokenizer.train(train, vocab, sp);
        double seconds = (System.nanoTime() - t0) / 1e9;
        int[][] merges = tok.merges();
        System.out.printf(Locale.ROOT, "%d merges in %.2f s%s%n", merges.length, seconds,
                merges.length < vocab - 256 ? " (no pair was left to merge: the vocabulary stops at " + tok.vocabSize() + ")" : "");

        Csv table = new Csv("rank", "id", "left", "right", "token");
        for (int i = 0; i < merges.length; i++) {
            int id = 256 + i;
            String piece = text(tok, id);
            table.row(i + 1, id, merges[i][0], merges[i][1], piece);
            if (i < show)
                System.out.printf(Locale.ROOT, "merge %3d: %-14s + %-14s -> %-14s (id %d)%n", i + 1, quoted(tok, merges[i][0]),
                        quoted(tok, merges[i][1]), quoted(tok, id), id);
        }
        double trainBpt = bytesPerToken(tok, train), heldOutBpt = bytesPerToken(tok, heldOut);
        System.out.printf(Locale.ROOT, "compression: %.3f bytes/token on the training text, %.3f on the held-out %,d characters%n",
                trainBpt, heldOutBpt, heldOut.length());
        tok.save(out.resolve("tokenizer.txt"));
        table.write(out.resolve("merges.csv"));
        System.out.println("tokenizer and merges in " + out + " (use it: tinygen tokenize --tokenizer file:" + out.resolve("tokenizer.txt") + " ...)");
        System.out.println(Json.line("model", "bpe", "vocab", tok.vocabSize(), "merges", merges.length, "split", sp.name(),
                "train_chars", train.length(), "train_bytes_per_token", trainBpt, "val_bytes_per_token", heldOutBpt,
                "seconds", seconds, "out", out.toString(), "backend", Backend.describe()));
        return 0;
    }

    private static String text(BpeTokenizer tok, int id) {
        return new String(tok.tokenBytes(id), StandardCharsets.UTF_8);
    }

    private static String quoted(BpeTokenizer tok, int id) {
        return "'" + DemoOptions.label(text(tok, id)) + "'";
    }
}
