package dev.tinygen.examples.demo;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import dev.tinygen.nn.Rng;
import dev.tinygen.transformer.bigram.BigramModel;
import dev.tinygen.transformer.tokenizer.Tokenizer;

/**
 * What a fitted bigram model shows a reader, shared by {@code demo-bigram} and {@code bigram}: "after 'x' comes ..."
 * rows for the most frequent tokens, and generation from a start token greedily, at random and among the top k.
 */
public final class BigramReport {
    /** Followers listed per row. */
    static final int FOLLOWERS = 5;

    private BigramReport() {}

    /** The text of one token (a BPE token that ends inside a UTF-8 sequence shows U+FFFD). */
    public static String piece(Tokenizer tok, int id) {
        return tok.decode(new int[] {id});
    }

    /** The {@code n} ids seen most often in {@code ids}, most frequent first (ties: lower id). */
    public static int[] mostFrequent(int[] ids, int v, int n) {
        return BigramDemo.mostFrequent(ids, v, n);
    }

    /**
     * Prints one row per token of {@code tokens}: {@code after 'e' (41,203 times) comes ' ' 0.31, 'r' 0.12, ...}, and
     * returns the rows as a table with one line per (token, follower).
     */
    public static Csv followers(BigramModel bigram, Tokenizer tok, int[] tokens, PrintStream out) {
        Csv table = new Csv("token", "count", "rank", "next", "next_count", "probability");
        for (int id : tokens) {
            StringBuilder line = new StringBuilder();
            int rank = 0;
            for (BigramModel.Follower fo : bigram.topFollowers(id, FOLLOWERS)) {
                line.append(rank == 0 ? " " : ", ").append(String.format(Locale.ROOT, "%s %.2f",
                        "'" + DemoOptions.label(piece(tok, fo.id())) + "'", fo.probability()));
                table.row(piece(tok, id), bigram.rowCount(id), ++rank, piece(tok, fo.id()), fo.count(), fo.probability());
            }
            if (rank == 0) line.append(" nothing (never followed by a token in the training text)");
            out.printf(Locale.ROOT, "after %-8s (%,9d times) comes%s%n", "'" + DemoOptions.label(piece(tok, id)) + "'",
                    bigram.rowCount(id), line);
        }
        return table;
    }

    /** Three continuations of one start token, and how many distinct tokens the greedy one used. */
    public record Generations(String greedy, String random, String topK, long greedyDistinct) {}

    /**
     * Generates {@code n} tokens after the last token of {@code start} three ways and prints them on one line each
     * (line breaks shown as spaces); {@code sep} goes between the start and the continuation (a space for words).
     */
    public static Generations generate(BigramModel bigram, Tokenizer tok, String start, int n, int k, long seed, String sep,
                                       PrintStream out) {
        int[] startIds = tok.encode(start);
        if (startIds.length == 0) throw new IllegalArgumentException("--start '" + start + "' encodes to no tokens");
        int s0 = startIds[startIds.length - 1];
        int[] greedyIds = bigram.generateGreedy(s0, n);
        Generations g = new Generations(tok.decode(greedyIds), tok.decode(bigram.sample(s0, n, new Rng(seed))),
                tok.decode(bigram.sampleTopK(s0, n, k, new Rng(seed))), Arrays.stream(greedyIds).distinct().count());
        out.println("greedy:  " + start + sep + g.greedy().replace("\n", " "));
        out.println("random:  " + start + sep + g.random().replace("\n", " "));
        out.println("top-" + k + ":   " + start + sep + g.topK().replace("\n", " "));
        return g;
    }
}
