package dev.tinygen.examples.demo;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import dev.tinygen.transformer.tokenizer.Tokenizer;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Token embeddings after training: every token is a vector of C numbers, and tokens the model uses alike point the
 * same way. Nearest neighbours by cosine similarity, and a 2-D PCA map of the whole table.
 */
@Command(name = "demo-embeddings", mixinStandardHelpOptions = true,
        description = {"Nearest neighbours of tokens by cosine similarity, and a 2-D PCA map of the embedding table.",
            "Writes embeddings_pca.png, embeddings_pca.csv and neighbours.csv.",
            "Trains a nano GPT first unless --run names a train-gpt output folder.",
            "Example: tinygen demo-embeddings --run runs/quick --tokens a,e,T,7,."})
public final class EmbeddingsDemo implements Callable<Integer> {
    @Mixin DemoOptions common = new DemoOptions();
    @Option(names = "--run", description = "A train-gpt (or demo) output folder to look inside instead of training here.") Path run;
    @Option(names = "--iters", defaultValue = "1000", description = "Training steps of the nano GPT when no --run is given (default: ${DEFAULT-VALUE}).")
    int iters;
    @Option(names = "--tokens", defaultValue = "a,e,o,t,s,A,T,1,.,?", split = ",",
            description = "Tokens whose neighbours to list (default: ${DEFAULT-VALUE}).") List<String> queries;
    @Option(names = "--k", defaultValue = "5", description = "Neighbours per token (default: ${DEFAULT-VALUE}).") int k;
    @Option(names = "--max-points", defaultValue = "150", description = "At most this many tokens (the lowest ids) on the map (default: ${DEFAULT-VALUE}).")
    int maxPoints;

    @Override
    public Integer call() throws Exception {
        if (k < 1) throw new IllegalArgumentException("--k must be >= 1, got " + k);
        if (maxPoints < 2) throw new IllegalArgumentException("--max-points must be >= 2, got " + maxPoints);
        Path out = common.outputFolder("demo-embeddings");
        DemoModel dm = DemoModel.loadOrTrain(run, common, iters, out.resolve("model"));
        Tokenizer tok = dm.tokenizer();
        double[][] table = dm.model().tokenEmbeddings().castTo(DataType.DOUBLE).toDoubleMatrix();   // (V, C)
        int v = table.length;

        System.out.printf(Locale.ROOT, "%nembedding table (V, C) = (%d, %d); nearest neighbours by cosine similarity:%n", v, table[0].length);
        Csv neighbours = new Csv("token", "rank", "neighbour", "cosine");
        for (String q : queries) {
            int id = single(tok, q);
            if (id < 0) {
                System.out.printf(Locale.ROOT, "%-6s (not one token of this vocabulary: skipped)%n", "'" + q + "'");
                continue;
            }
            StringBuilder line = new StringBuilder();
            int rank = 0;
            for (CosineSimilarity.Neighbour n : CosineSimilarity.nearest(table, id, k)) {
                String piece = tok.decode(new int[] {n.id()});
                line.append(String.format(Locale.ROOT, "  %-6s %.2f", "'" + DemoOptions.label(piece) + "'", n.similarity()));
                neighbours.row(q, ++rank, piece, n.similarity());
            }
            System.out.printf(Locale.ROOT, "%-6s ->%s%n", "'" + DemoOptions.label(q) + "'", line);
        }

        int n = Math.min(v, maxPoints);
        double[][] shown = new double[n][];
        System.arraycopy(table, 0, shown, 0, n);
        Pca pca = Pca.fit(shown, 2);
        double[][] xy = pca.project(shown);
        ScatterPlot plot = new ScatterPlot(String.format(Locale.ROOT, "token embeddings, PCA (PC1 %.0f%%, PC2 %.0f%% of the variance)",
                100 * pca.explainedRatio(0), 100 * pca.explainedRatio(1)), "PC1", "PC2");
        Csv map = new Csv("id", "token", "group", "pc1", "pc2");
        for (int i = 0; i < n; i++) {
            String piece = tok.decode(new int[] {i});
            String group = group(piece);
            plot.point(xy[i][0], xy[i][1], DemoOptions.label(piece), group);
            map.row(i, piece, group, xy[i][0], xy[i][1]);
        }
        plot.write(out.resolve("embeddings_pca.png"));
        map.write(out.resolve("embeddings_pca.csv"));
        neighbours.write(out.resolve("neighbours.csv"));

        double caseSim = casePairSimilarity(tok, table);
        double allSim = meanPairSimilarity(table);
        System.out.printf(Locale.ROOT, "%nmean cosine of a letter with its other case (a/A, b/B, ...): %.3f; of any two tokens: %.3f%n", caseSim, allSim);
        System.out.printf(Locale.ROOT, "PCA: the first two components explain %.1f%% + %.1f%% of the variance; map: %s%n",
                100 * pca.explainedRatio(0), 100 * pca.explainedRatio(1), out.resolve("embeddings_pca.png"));
        System.out.println(new Figures().put("demo", "embeddings").put("vocab", v).put("width", table[0].length)
                .put("pc1_explained", pca.explainedRatio(0)).put("pc2_explained", pca.explainedRatio(1))
                .put("case_pair_cosine", caseSim).put("mean_pair_cosine", allSim).put("out", out.toString()).toJson());
        return 0;
    }

    /** A coarse class of a token for the map's colours. */
    static String group(String piece) {
        if (piece.length() != 1) return "longer token";
        char c = piece.charAt(0);
        if ("aeiou".indexOf(c) >= 0) return "vowel";
        if (c >= 'a' && c <= 'z') return "consonant";
        if (Character.isUpperCase(c)) return "upper case";
        if (Character.isDigit(c)) return "digit";
        if (Character.isWhitespace(c)) return "space";
        return "punctuation";
    }

    /** Mean cosine of x and X over the letters a..z whose both cases are single tokens; NaN if none is. */
    static double casePairSimilarity(Tokenizer tok, double[][] table) {
        double sum = 0;
        int n = 0;
        for (char c = 'a'; c <= 'z'; c++) {
            int lo = single(tok, String.valueOf(c)), up = single(tok, String.valueOf(Character.toUpperCase(c)));
            if (lo < 0 || up < 0) continue;
            sum += CosineSimilarity.of(table[lo], table[up]);
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Mean cosine over all pairs of distinct rows. */
    static double meanPairSimilarity(double[][] table) {
        double sum = 0;
        long n = 0;
        for (int i = 0; i < table.length; i++)
            for (int j = i + 1; j < table.length; j++) {
                sum += CosineSimilarity.of(table[i], table[j]);
                n++;
            }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static int single(Tokenizer tok, String s) {
        try {
            int[] ids = tok.encode(s);
            return ids.length == 1 && tok.decode(ids).equals(s) ? ids[0] : -1;
        } catch (IllegalArgumentException e) {
            return -1;        // not in a character vocabulary
        }
    }
}
