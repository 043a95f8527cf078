package dev.tinygen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import dev.tinygen.examples.demo.BarChart;
import dev.tinygen.examples.demo.DemoCorpus;
import dev.tinygen.nn.data.Mnist;
import dev.tinygen.nn.data.TextCorpus;
import dev.tinygen.transformer.tokenizer.Tokenizer;
import dev.tinygen.vaegan.ImageGrid;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every command this module owns, run through {@link Main#run} as a user would, with tiny settings on the first
 * 40,000 characters of the embedded text or on MNIST (skipped when MNIST is missing): each must exit 0, write files
 * that read back (PNGs of the expected size, CSVs with their header and finite numbers) and end with a JSON line
 * whose figures are finite and in range. One small GPT run is trained once and read by sample, tokenize and the
 * demos that look inside a trained model.
 */
class AllCommandsTest {
    @TempDir static Path dir;
    static Path data;
    static Path gpt;
    static int dataChars;

    /** What a command printed on stdout, its exit code, and its final JSON line as key -> raw value. */
    record Run(int exit, String out) {
        Map<String, String> json() {
            String[] lines = out.strip().split("\n");
            String j = lines[lines.length - 1];
            assertTrue(j.startsWith("{") && j.endsWith("}"), "the last line is one JSON object: " + j);
            Map<String, String> m = new LinkedHashMap<>();
            Matcher kv = Pattern.compile("\"([^\"]+)\":(\"(?:[^\"\\\\]|\\\\.)*\"|[^,}]+)").matcher(j);
            while (kv.find()) m.put(kv.group(1), kv.group(2));
            assertTrue(m.size() > 1, "the JSON line parses into figures: " + j);
            return m;
        }

        /** A numeric figure; it must be present and finite (a non-finite figure prints as null). */
        double figure(String key) {
            String v = json().get(key);
            assertTrue(v != null, key + " in " + json());
            double d = Double.parseDouble(v);
            assertTrue(Double.isFinite(d), key + " = " + v);
            return d;
        }

        /** Every numeric figure of the line is finite; returns how many there are. */
        int allFinite() {
            int n = 0;
            for (var e : json().entrySet()) {
                assertTrue(!e.getValue().equals("null"), e.getKey() + " is not finite in " + json());
                if (!e.getValue().startsWith("\"")) {
                    if (e.getValue().equals("true") || e.getValue().equals("false")) continue;
                    assertTrue(Double.isFinite(Double.parseDouble(e.getValue())), e.getKey());
                    n++;
                }
            }
            return n;
        }
    }

    static Run tinygen(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int exit;
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            exit = Main.run(args);
        } finally {
            System.setOut(saved);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        saved.print(out);
        Run r = new Run(exit, out);
        assertEquals(0, exit, String.join(" ", args) + " exits 0:\n" + out);
        return r;
    }

    static BufferedImage png(Path p, int width, int height) throws Exception {
        assertTrue(Files.isRegularFile(p), p + " exists");
        BufferedImage img = ImageIO.read(p.toFile());
        assertTrue(img != null, p + " reads back as an image");
        if (width > 0) assertEquals(width, img.getWidth(), p + " width");
        if (height > 0) assertEquals(height, img.getHeight(), p + " height");
        assertTrue(img.getWidth() >= 100 && img.getHeight() >= 30, p + " is a picture, not a speck");
        return img;
    }

    /**
     * Parses the file as RFC 4180 CSV (quoted cells may hold commas, doubled quotes and line breaks), checks the
     * header, the column count of every row and that every numeric-looking cell is finite; returns the data rows.
     */
    static List<List<String>> table(Path p, String header) throws Exception {
        String text = Files.readString(p);
        List<List<String>> rows = new java.util.ArrayList<>();
        List<String> row = new java.util.ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new java.util.ArrayList<>();
            } else {
                cell.append(c);
            }
        }
        assertTrue(!quoted && row.isEmpty() && cell.length() == 0, p + " ends with a complete line");
        assertEquals(header, String.join(",", rows.get(0)), p + " header");
        assertTrue(rows.size() > 1, p + " has rows");
        int cols = rows.get(0).size();
        for (List<String> r : rows.subList(1, rows.size())) {
            assertEquals(cols, r.size(), p + ": " + r);
            for (String c : r)
                if (c.matches("-?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?|NaN|-?Infinity"))
                    assertTrue(Double.isFinite(Double.parseDouble(c)), p + ": non-finite cell in " + r);
        }
        return rows.subList(1, rows.size());
    }

    /** {@link #table} with each row joined back by commas (for rows without quoted cells). */
    static List<String> csv(Path p, String header) throws Exception {
        return table(p, header).stream().map(r -> String.join(",", r)).toList();
    }

    static String s(Path p) {
        return p.toString();
    }

    static void assumeMnist() {
        Assumptions.assumeTrue(Mnist.isAvailable(), Mnist.missingMessage());
    }

    @BeforeAll
    static void trainOneGpt() throws Exception {
        String text = TextCorpus.readResource(DemoCorpus.DEFAULT_RESOURCE).substring(0, 40_000);
        dataChars = text.length();
        data = dir.resolve("small.txt");
        Files.writeString(data, text);
        gpt = dir.resolve("gpt");
        Run r = tinygen("train-gpt", "--data", s(data), "--iters", "6", "--batch", "4", "--block", "16", "--layers", "1",
                "--heads", "2", "--width", "32", "--eval-interval", "3", "--eval-iters", "2", "--sample-tokens", "20",
                "--out", s(gpt));
        r.allFinite();
        double v = r.figure("val_loss");
        assertTrue(v > 0 && v < 6, "a 6-step GPT's validation loss lies near ln V, got " + v);
        assertTrue(r.figure("bigram_val_nll") > 0 && r.figure("params") > 0);
        assertEquals(6, r.figure("iters"));
    }

    @Test
    void trainGptWritesItsRun() throws Exception {
        assertTrue(Files.size(gpt.resolve("checkpoint.safetensors")) > 1000);
        Tokenizer tok = Tokenizer.load(gpt.resolve("tokenizer.txt"));
        assertEquals("char", tok.name());
        List<String> rows = csv(gpt.resolve("loss.csv"), "step,train_loss,val_loss,lr,ms");
        assertEquals(6, rows.size(), "one row per step");
        png(gpt.resolve("loss.png"), 800, 500);
    }

    @Test
    void sampleFromTheRun() {
        Run r = tinygen("sample", "--run", s(gpt), "--prompt", "The ", "--tokens", "15", "--seed", "3");
        String printed = r.out().strip();
        assertTrue(printed.startsWith("The ") && printed.length() >= 4 + 5, "prompt and continuation: " + printed);
    }

    @Test
    void tokenizeWithTheRunsTokenizer() throws Exception {
        Path ids = dir.resolve("ids.txt");
        tinygen("tokenize", "--tokenizer", "file:" + gpt.resolve("tokenizer.txt"), "--input", s(data), "--output", s(ids));
        List<String> lines = Files.readAllLines(ids);
        assertEquals(dataChars, lines.size(), "the character tokenizer makes one id per character");
        int v = Tokenizer.load(gpt.resolve("tokenizer.txt")).vocabSize();
        for (String l : lines) assertTrue(Integer.parseInt(l) >= 0 && Integer.parseInt(l) < v, l);
    }

    @Test
    void trainBpe() throws Exception {
        Path out = dir.resolve("bpe");
        Run r = tinygen("train-bpe", "--data", s(data), "--vocab", "300", "--train-chars", "20000", "--show", "5", "--out", s(out));
        r.allFinite();
        assertEquals(300, r.figure("vocab"));
        assertEquals(44, r.figure("merges"));
        double train = r.figure("train_bytes_per_token"), val = r.figure("val_bytes_per_token");
        assertTrue(train > 1 && train < 4 && val > 1 && val < 4, "44 merges compress English a little: " + r.json());
        assertTrue(r.out().contains("merge   1:"), "prints the first merges");
        List<List<String>> merges = table(out.resolve("merges.csv"), "rank,id,left,right,token");
        assertEquals(44, merges.size());
        assertEquals(List.of("1", "256"), merges.get(0).subList(0, 2));
        Tokenizer tok = Tokenizer.load(out.resolve("tokenizer.txt"));
        String sentence = "The old gentleman's lodging, \u00e9t\u00e9!";
        assertEquals(sentence, tok.decode(tok.encode(sentence)), "the saved tokenizer round-trips");
    }

    @Test
    void bigram() throws Exception {
        Path out = dir.resolve("bigram");
        Run r = tinygen("bigram", "--data", s(data), "--tokens", "20", "--rows", "4", "--out", s(out));
        r.allFinite();
        double uniform = r.figure("uniform_nll"), val = r.figure("val_nll");
        assertTrue(val > 1 && val < uniform, "the bigram beats the uniform guess: " + r.json());
        assertTrue(r.out().contains("after '"), r.out());
        assertTrue(r.out().contains("greedy:") && r.out().contains("random:") && r.out().contains("top-3:"), r.out());
        long total = 0;
        for (String row : csv(out.resolve("counts.csv"), "current_id,next_id,count")) total += Long.parseLong(row.split(",")[2]);
        assertEquals((long) r.figure("train_tokens") - 1, total, "the counts add up to the training pairs");
        assertEquals(4 * 5, csv(out.resolve("followers.csv"), "token,count,rank,next,next_count,probability").size());
        assertTrue(Files.exists(out.resolve("tokenizer.txt")));
    }

    @Test
    void trainMlpOnASubset() {
        assumeMnist();
        Run r = tinygen("train-mlp", "--epochs", "1", "--train-size", "2000", "--test-size", "500", "--batch", "100");
        r.allFinite();
        double acc = r.figure("test_accuracy");
        assertTrue(acc > 0.5 && acc <= 1, "20 steps already beat chance (0.1): " + acc);
        assertTrue(r.figure("final_train_loss") > 0);
        assertEquals(500, r.figure("test_images"));
    }

    @Test
    void trainAe() throws Exception {
        assumeMnist();
        Path out = dir.resolve("ae");
        Run r = tinygen("train-ae", "--epochs", "1", "--anomaly-epochs", "1", "--train-size", "600", "--batch", "100",
                "--held-out", "1", "--noise", "gaussian:0.5", "--out", s(out));
        r.allFinite();
        assertTrue(r.figure("test_psnr_db") > 5 && r.figure("train_loss_per_image") > 0, r.json().toString());
        double auc = r.figure("anomaly_best_auc");
        assertTrue(auc >= 0 && auc <= 1, "AUC in [0, 1]: " + auc);
        BufferedImage two = ImageGrid.render(Nd4j.zeros(DataType.FLOAT, 20, 784), 2, 10, List.of("test", "decoded"), ImageGrid.DEFAULT_SCALE);
        png(out.resolve("reconstructions.png"), two.getWidth(), two.getHeight());
        BufferedImage three = ImageGrid.render(Nd4j.zeros(DataType.FLOAT, 30, 784), 3, 10, List.of("clean", "noisy", "denoised"), ImageGrid.DEFAULT_SCALE);
        png(out.resolve("denoise-gaussian-0.5.png"), three.getWidth(), three.getHeight());
        int[] roc = RocFigure.size(1);
        png(out.resolve("roc.png"), roc[0], roc[1]);
        List<String> rows = csv(out.resolve("anomaly.csv"), "held_out_digit,roc_auc,mean_error_normal,mean_error_held_out");
        assertEquals(1, rows.size());
        assertEquals(auc, Double.parseDouble(rows.get(0).split(",")[1]), 1e-4);
    }

    @Test
    void trainVae() throws Exception {
        assumeMnist();
        Path out = dir.resolve("vae");
        Run r = tinygen("train-vae", "--epochs", "1", "--train-size", "600", "--latent2-epochs", "1", "--out", s(out));
        double test = r.figure("test_loss_per_sample");
        assertTrue(test > 50 && test < 600, "negative ELBO per image after one short epoch: " + test);
        assertTrue(r.figure("latent2_test_loss_per_sample") > 0);
        String fashion = r.json().get("fashion_vs_mnist_elbo_auc");
        if (!fashion.equals("null")) assertTrue(r.figure("fashion_vs_mnist_elbo_auc") >= 0 && r.figure("fashion_vs_mnist_elbo_auc") <= 1);
        BufferedImage grid = ImageGrid.render(Nd4j.zeros(DataType.FLOAT, 64, 784), 8, 8, null, ImageGrid.DEFAULT_SCALE);
        png(out.resolve("samples.png"), grid.getWidth(), grid.getHeight());
        png(out.resolve("interpolation.png"), 0, 0);
        png(out.resolve("loss.png"), 800, 500);
        png(out.resolve("latent2d.png"), 0, 0);
        assertTrue(Files.size(out.resolve("vae.safetensors")) > 1000);
    }

    @Test
    void trainClassifierThenConditionalGanThenDraw() throws Exception {
        assumeMnist();
        Path clf = dir.resolve("clf").resolve("digit-classifier.safetensors");
        Run c = tinygen("train-classifier", "--epochs", "1", "--train-size", "2000", "--checkpoint", s(clf));
        c.allFinite();
        double acc = c.figure("test_accuracy");
        assertTrue(acc > 0.5 && acc <= 1, "a CNN on 2,000 digits for one epoch beats chance by far: " + acc);
        assertTrue(Files.size(clf) > 1000);

        Path gan = dir.resolve("cgan");
        Run g = tinygen("train-gan", "--conditional", "--epochs", "2", "--train-size", "256", "--samples", "200",
                "--classifier", s(clf), "--out", s(gan));
        g.allFinite();
        assertEquals(2, g.figure("epochs"));
        double confident = g.figure("confident_fraction"), agreement = g.figure("agreement");
        assertTrue(confident >= 0 && confident <= 1 && agreement >= 0 && agreement <= 1, g.json().toString());
        double classes = g.figure("classes_present");
        assertTrue(classes >= 0 && classes <= 10 && g.figure("frechet") > 0, g.json().toString());
        int tile = 28 * ImageGrid.DEFAULT_SCALE, gap = ImageGrid.GAP;
        png(gan.resolve("epoch-02.png"), gap + 10 * (tile + gap), gap + 8 * (tile + gap));
        png(gan.resolve("progress.png"), 0, gap + 2 * (tile + gap));
        png(gan.resolve("losses.png"), 800, 500);

        Run d = tinygen("draw", "--digit", "3", "--count", "16", "--cols", "8", "--run", s(gan), "--classifier", s(clf));
        d.allFinite();
        double drawn = d.figure("agreement");
        assertTrue(drawn >= 0 && drawn <= 1 && drawn * 16 == Math.rint(drawn * 16), "a fraction of 16 drawings: " + drawn);
        png(gan.resolve("digit-3.png"), gap + 8 * (tile + gap), gap + 2 * (tile + gap));
    }

    @Test
    void demoTokenize() throws Exception {
        Path out = dir.resolve("d-tok");
        Run r = tinygen("demo-tokenize", "--data", s(data), "--bpe-vocab", "300", "--bpe-chars", "5000", "--tiktoken", "none",
                "--sentence", "The zebra said hello.", "--out", s(out));
        r.allFinite();
        assertEquals(21, r.figure("char_tokens"));
        assertEquals(4, csv(out.resolve("comparison.csv"), "tokenizer,vocab_size,tokens,unknown,val_tokens_per_char").size());
    }

    @Test
    void demoBigram() throws Exception {
        Path out = dir.resolve("d-bigram");
        Run r = tinygen("demo-bigram", "--data", s(data), "--top", "10", "--tokens", "20", "--out", s(out));
        r.allFinite();
        assertTrue(r.figure("val_nll") < r.figure("uniform_nll"));
        png(out.resolve("bigram.png"), 0, 0);
        assertEquals(100, csv(out.resolve("bigram.csv"), "current,next,count,probability").size());
    }

    @Test
    void demoTrainVsGenerate() throws Exception {
        Path out = dir.resolve("d-tvg");
        Run r = tinygen("demo-train-vs-generate", "--data", s(data), "--iters", "10", "--tokens", "10", "--quiet", "--out", s(out));
        r.allFinite();
        assertTrue(r.figure("val_loss") > 0 && r.figure("val_loss") < r.figure("val_loss_before"), r.json().toString());
        png(out.resolve("loss.png"), 800, 500);
        csv(out.resolve("loss.csv"), "step,train_loss,val_loss,lr,ms");
    }

    @Test
    void demoSampling() throws Exception {
        Path out = dir.resolve("d-sampling");
        Run r = tinygen("demo-sampling", "--run", s(gpt), "--tokens", "8", "--prompt", "The ", "--out", s(out));
        r.allFinite();
        assertEquals(0.0, r.figure("entropy_greedy"));
        double e = r.figure("entropy_T_1.00");
        assertTrue(e > 0 && e <= Math.log(200), "entropy in nats, at most ln V: " + e);
        png(out.resolve("sampling.png"), 0, 0);
        png(out.resolve("entropy.png"), 0, 0);
    }

    @Test
    void demoAttention() throws Exception {
        Path out = dir.resolve("d-attention");
        Run r = tinygen("demo-attention", "--run", s(gpt), "--sentence", "The old", "--out", s(out));
        r.allFinite();
        assertEquals(7, r.figure("tokens"));
        png(out.resolve("attention_layer0.png"), 0, 0);
        List<String> rows = csv(out.resolve("attention.csv"), "layer,head,query,key,query_token,key_token,weight");
        assertEquals(2 * (7 * 8 / 2), rows.size(), "2 heads x the causal (query, key) pairs of 7 tokens");
        for (List<String> row : table(out.resolve("attention.csv"), "layer,head,query,key,query_token,key_token,weight")) {
            double w = Double.parseDouble(row.get(6));
            assertTrue(w >= 0 && w <= 1, row.toString());
        }
    }

    @Test
    void demoEmbeddings() throws Exception {
        Path out = dir.resolve("d-embeddings");
        Run r = tinygen("demo-embeddings", "--run", s(gpt), "--out", s(out));
        r.allFinite();
        double pc1 = r.figure("pc1_explained"), pc2 = r.figure("pc2_explained");
        assertTrue(pc1 >= pc2 && pc2 > 0 && pc1 + pc2 <= 1, r.json().toString());
        png(out.resolve("embeddings_pca.png"), 800, 640);
        for (List<String> row : table(out.resolve("neighbours.csv"), "token,rank,neighbour,cosine")) {
            double c = Double.parseDouble(row.get(3));
            assertTrue(c >= -1 - 1e-6 && c <= 1 + 1e-6, row.toString());
        }
    }

    @Test
    void demoPositions() throws Exception {
        Path out = dir.resolve("d-positions");
        Run r = tinygen("demo-positions", "--data", s(data), "--iters", "10", "--kinds", "LEARNED,NONE", "--positions", "16",
                "--width", "8", "--out", s(out));
        r.allFinite();
        assertTrue(r.figure("val_loss_learned") > 0 && r.figure("val_loss_none") > 0);
        png(out.resolve("sinusoidal.png"), 0, 0);
        png(out.resolve("positions_loss.png"), 800, 500);
        assertEquals(2, csv(out.resolve("positions.csv"), "positions,params,iters,train_loss,val_loss,ms_per_iter").size());
    }

    @Test
    void demoParameters() throws Exception {
        Path out = dir.resolve("d-params");
        Run r = tinygen("demo-parameters", "--preset", "nano", "--vocab", "65", "--out", s(out));
        r.allFinite();
        assertEquals(r.figure("formula_params"), r.figure("params"));
        int tensors = (int) r.figure("tensors");
        png(out.resolve("parameters.png"), 900, BarChart.height(tensors));
        assertEquals(tensors, csv(out.resolve("parameters.csv"), "name,shape,symbolic_shape,count,part").size());
    }

    @Test
    void demoLossTable() throws Exception {
        Path out = dir.resolve("d-loss");
        Run r = tinygen("demo-loss-table", "--data", s(data), "--iters", "10", "--sizes", "nano", "--out", s(out));
        r.allFinite();
        assertTrue(r.figure("val_bigram") < r.figure("val_unigram") && r.figure("val_unigram") < r.figure("val_uniform"));
        png(out.resolve("loss_table.png"), 800, 500);
        assertEquals(4, csv(out.resolve("loss_table.csv"), "model,params,iters,train_loss,val_loss,seconds").size());
    }

    @Test
    void demoGan() throws Exception {
        assumeMnist();
        Path out = dir.resolve("d-gan");
        Run r = tinygen("demo-gan", "--epochs", "2", "--train-size", "256", "--batch", "64", "--out", s(out));
        r.allFinite();
        assertEquals(2, r.figure("epochs"));
        assertEquals(8, r.figure("steps"), "2 epochs of 256 / 64 steps");
        double d = r.figure("d_loss"), g = r.figure("g_loss");
        assertTrue(d > 0 && d < 10 && g > 0 && g < 20, r.json().toString());
        int tile = 28 * ImageGrid.DEFAULT_SCALE, gap = ImageGrid.GAP;             // 8 x 10 digits, gaps between and around
        BufferedImage grid = png(out.resolve("epoch-01.png"), gap + 10 * (tile + gap), gap + 8 * (tile + gap));
        png(out.resolve("epoch-02.png"), grid.getWidth(), grid.getHeight());
        BufferedImage strip = png(out.resolve("progress.png"), 0, gap + 2 * (tile + gap));  // one row of 10 per epoch
        assertTrue(strip.getWidth() > grid.getWidth(), "the strip's rows carry epoch labels");
        png(out.resolve("losses.png"), 800, 500);
        png(out.resolve("losses_per_step.png"), 800, 500);
        assertEquals(2, csv(out.resolve("losses.csv"), "epoch,d_loss,g_loss,seconds").size());
    }

    @Test
    void everyOwnedCommandIsRegistered() {
        List<String> names = new picocli.CommandLine(new Main()).getSubcommands().keySet().stream().toList();
        List<String> expected = Arrays.asList("train-gpt", "sample", "tokenize", "train-bpe", "bigram", "train-mlp", "train-ae", "train-vae");
        assertTrue(names.containsAll(expected), names.toString());
        for (Class<?> c : dev.tinygen.examples.demo.DemoCommands.all()) {
            String name = c.getAnnotation(picocli.CommandLine.Command.class).name();
            assertTrue(name.startsWith("demo-"), name);
        }
        assertEquals(10, dev.tinygen.examples.demo.DemoCommands.all().size(), "nine concept demos and demo-gan");
    }
}
