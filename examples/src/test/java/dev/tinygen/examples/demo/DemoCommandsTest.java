package dev.tinygen.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import dev.tinygen.nn.data.TextCorpus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every demo command, run with tiny settings on the first 40,000 characters of the embedded text. */
class DemoCommandsTest {
    @TempDir static Path dir;
    static Path data;
    static Path trained;
    static Run trainRun;

    record Run(int exit, String out, Throwable error) {
        String json() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }

        /** The JSON line's numbers, each checked to be finite (a non-finite figure prints as null). */
        void assertFiniteFigures() {
            String j = json();
            assertTrue(j.startsWith("{") && j.endsWith("}"), "last line is a JSON object: " + j);
            assertFalse(j.contains(":null"), "a figure is not finite: " + j);
            Matcher m = Pattern.compile(":(-?[0-9][0-9.eE+-]*)[,}]").matcher(j);
            int n = 0;
            while (m.find()) {
                assertTrue(Double.isFinite(Double.parseDouble(m.group(1))), j);
                n++;
            }
            assertTrue(n > 0, "the JSON line holds numbers: " + j);
        }

        double figure(String key) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":(-?[0-9][0-9.eE+-]*)").matcher(json());
            assertTrue(m.find(), key + " in " + json());
            return Double.parseDouble(m.group(1));
        }
    }

    static Run run(Object command, String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Throwable[] error = new Throwable[1];
        int exit;
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            CommandLine cl = new CommandLine(command);
            cl.setExecutionExceptionHandler((ex, c, p) -> {
                error[0] = ex;
                return 2;
            });
            exit = cl.execute(args);
        } finally {
            System.setOut(saved);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        saved.print(out);
        return new Run(exit, out, error[0]);
    }

    static BufferedImage png(Path p) throws Exception {
        assertTrue(Files.exists(p), p + " exists");
        BufferedImage img = ImageIO.read(p.toFile());
        assertTrue(img != null && img.getWidth() > 100 && img.getHeight() > 100, p + " reads back as an image");
        return img;
    }

    static List<String> csv(Path p, String header) throws Exception {
        List<String> lines = Files.readAllLines(p);
        assertEquals(header, lines.get(0), p + " header");
        assertTrue(lines.size() > 1, p + " has rows");
        int cols = header.split(",").length;
        for (String l : lines.subList(1, lines.size()))
            if (!l.contains("\"")) assertEquals(cols, l.split(",", -1).length, p + ": " + l);
        return lines;
    }

    @BeforeAll
    static void setUp() throws Exception {
        data = dir.resolve("small.txt");
        Files.writeString(data, TextCorpus.readResource(DemoCorpus.DEFAULT_RESOURCE).substring(0, 40_000));
        trained = dir.resolve("tvg");
        trainRun = run(new TrainingVsGenerationDemo(), "--data", data.toString(), "--iters", "20", "--tokens", "20",
                "--quiet", "--out", trained.toString());
        assertEquals(0, trainRun.exit(), trainRun.out());
    }

    @Test
    void trainVsGenerateWritesTheCurveAndACheckpoint() throws Exception {
        assertTrue(Files.exists(trained.resolve("checkpoint.safetensors")));
        assertTrue(Files.exists(trained.resolve("tokenizer.txt")));
        png(trained.resolve("loss.png"));
        csv(trained.resolve("loss.csv"), "step,train_loss,val_loss,lr,ms");
        assertTrue(Files.readString(trained.resolve("samples.txt")).contains("after 20 steps"));
    }

    @Test
    void trainVsGenerateLossFallsFromTheUniformGuess() {
        Run r = trainRun;
        r.assertFiniteFigures();
        assertEquals(r.figure("uniform_nll"), r.figure("val_loss_before"), 0.1, "an untrained model guesses about uniformly");
        assertTrue(r.figure("val_loss") < r.figure("val_loss_before") - 0.3, r.json());
    }

    @Test
    void tokenize() throws Exception {
        Path out = dir.resolve("tok");
        Run r = run(new TokenizationDemo(), "--data", data.toString(), "--bpe-vocab", "300", "--bpe-chars", "5000",
                "--tiktoken", "none", "--sentence", "The zebra said hello.", "--out", out.toString());
        assertEquals(0, r.exit(), r.out());
        r.assertFiniteFigures();
        assertEquals(21, r.figure("char_tokens"));
        assertEquals(0, r.figure("bpe_300_learned_here_unknown"));
        assertTrue(r.figure("word_stop_words_kept_unknown") >= 1, "'zebra' is not in 40,000 characters of Dickens");
        List<String> rows = csv(out.resolve("comparison.csv"), "tokenizer,vocab_size,tokens,unknown,val_tokens_per_char");
        assertEquals(5, rows.size());
        csv(out.resolve("tokens.csv"), "tokenizer,position,id,piece");
    }

    @Test
    void bigram() throws Exception {
        Path out = dir.resolve("bigram");
        Run r = run(new BigramDemo(), "--data", data.toString(), "--top", "10", "--tokens", "30", "--out", out.toString());
        assertEquals(0, r.exit(), r.out());
        r.assertFiniteFigures();
        assertTrue(r.figure("val_nll") < r.figure("uniform_nll"), r.json());
        png(out.resolve("bigram.png"));
        assertEquals(101, csv(out.resolve("bigram.csv"), "current,next,count,probability").size());
        csv(out.resolve("followers.csv"), "token,count,rank,next,next_count,probability");
    }

    @Test
    void samplingFromATrainedRun() throws Exception {
        Path out = dir.resolve("sampling");
        Run r = run(new SamplingDemo(), "--run", trained.toString(), "--tokens", "10", "--prompt", "The ", "--out", out.toString());
        assertEquals(0, r.exit(), r.out());
        r.assertFiniteFigures();
        assertTrue(r.figure("entropy_T_0.20") < r.figure("entropy_T_1.00"), r.json());
        assertTrue(r.figure("entropy_T_1.00") < r.figure("entropy_T_1.50"), r.json());
        assertEquals(0.0, r.figure("entropy_greedy"));
        png(out.resolve("sampling.png"));
        png(out.resolve("entropy.png"));
        assertEquals(1 + 1 + 5 + 2 + 2, csv(out.resolve("sampling.csv"), "setting,entropy_nats,support,top_token,top_probability,sample").size()
                - countQuotedContinuations(out.resolve("sampling.csv")));
    }

    private static int countQuotedContinuations(Path csv) throws Exception {
        // a sample holding a line break spans two physical lines of the file
        int n = 0;
        for (String l : Files.readAllLines(csv)) if (!l.isEmpty() && !l.matches("^[^,]*,[-0-9.e]+,\\d+,.*")) n++;
        return n - 1;
    }

    @Test
    void attentionFromATrainedRun() throws Exception {
        Path out = dir.resolve("attention");
        Run r = run(new AttentionDemo(), "--run", trained.toString(), "--sentence", "The old man", "--out", out.toString());
        assertEquals(0, r.exit(), r.out());
        r.assertFiniteFigures();
        assertEquals(11, r.figure("tokens"));
        for (int l = 0; l < 3; l++) {
            BufferedImage img = png(out.resolve("attention_layer" + l + ".png"));
            List<String> labels = "The old man".chars().mapToObj(c -> DemoOptions.label(Character.toString(c))).toList();
            BufferedImage one = new Heatmap("x", new double[11][11]).rows(labels).columns(labels)
                    .axes("key (attended to)", "query (attending)").render();
            assertEquals(3 * one.getWidth(), img.getWidth(), "three head panels side by side");
        }
        List<String> rows = csv(out.resolve("attention.csv"), "layer,head,query,key,query_token,key_token,weight");
        assertEquals(1 + 3 * 3 * (11 * 12 / 2), rows.size(), "one row per layer, head and causal (query, key) pair");
    }

    @Test
    void embeddingsFromATrainedRun() throws Exception {
        Path out = dir.resolve("embeddings");
        Run r = run(new EmbeddingsDemo(), "--run", trained.toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.out());
        r.assertFiniteFigures();
        double pc1 = r.figure("pc1_explained"), pc2 = r.figure("pc2_explained");
        assertTrue(pc1 >= pc2 && pc2 > 0 && pc1 + pc2 <= 1, r.json());
        assertEquals(800, png(out.resolve("embeddings_pca.png")).getWidth());
        csv(out.resolve("embeddings_pca.csv"), "id,token,group,pc1,pc2");
        csv(out.resolve("neighbours.csv"), "token,rank,neighbour,cosine");
    }

    @Test
    void positions() throws Exception {
        Path out = dir.resolve("positions");
        Run r = run(new PositionalEncodingDemo(), "--data", data.toString(), "--iters", "20", "--kinds", "LEARNED,NONE",
                "--positions", "16", "--width", "8", "--out", out.toString());
        assertEquals(0, r.exit(), r.out());
        r.assertFiniteFigures();
        r.figure("val_loss_learned");
        r.figure("val_loss_none");
        png(out.resolve("sinusoidal.png"));
        png(out.resolve("position_similarity.png"));
        png(out.resolve("positions_loss.png"));
        assertEquals(3, csv(out.resolve("positions.csv"), "positions,params,iters,train_loss,val_loss,ms_per_iter").size());
    }

    @Test
    void positionSimilarityIsOneOnTheDiagonalAndSymmetric() {
        double[][] pe = dev.tinygen.transformer.Gpt.sinusoidalEncoding(20, 16).toDoubleMatrix();
        double[][] s = PositionalEncodingDemo.positionSimilarity(pe);
        for (int i = 0; i < 20; i++) {
            assertEquals(1.0, s[i][i], 1e-12);
            for (int j = 0; j < 20; j++) assertEquals(s[i][j], s[j][i], 1e-12);
        }
        assertTrue(s[5][6] > s[5][15], "nearby positions look more alike than distant ones");
    }

    @Test
    void parameters() throws Exception {
        Path out = dir.resolve("params");
        Run r = run(new ParametersDemo(), "--preset", "nano", "--vocab", "65", "--out", out.toString());
        assertEquals(0, r.exit(), r.out());
        r.assertFiniteFigures();
        assertEquals(r.figure("formula_params"), r.figure("params"));
        List<String> rows = csv(out.resolve("parameters.csv"), "name,shape,symbolic_shape,count,part");
        assertTrue(rows.contains("wte.weight,[65 48],(V C),3120,embeddings"), rows.toString());
        assertTrue(rows.contains("h.0.attn.c_attn.weight,[48 144],(C 3C),6912,attention"), rows.toString());
        long sum = rows.subList(1, rows.size()).stream().mapToLong(l -> Long.parseLong(l.split(",")[3])).sum();
        assertEquals((long) r.figure("params"), sum);
        csv(out.resolve("hyperparameters.csv"), "hyperparameter,letter,value,meaning");
        assertEquals(4, csv(out.resolve("presets.csv"), "preset,layers,heads,width,block,parameters").size());
    }

    @Test
    void lossTable() throws Exception {
        Path out = dir.resolve("loss");
        Run r = run(new LossTableDemo(), "--data", data.toString(), "--iters", "20", "--sizes", "nano", "--out", out.toString());
        assertEquals(0, r.exit(), r.out());
        r.assertFiniteFigures();
        assertTrue(r.figure("val_bigram") < r.figure("val_unigram"), r.json());
        assertTrue(r.figure("val_unigram") < r.figure("val_uniform"), r.json());
        png(out.resolve("loss_table.png"));
        assertEquals(5, csv(out.resolve("loss_table.csv"), "model,params,iters,train_loss,val_loss,seconds").size());
    }

    @Test
    void unigramNllMatchesAHandCount() {
        // train counts a:2, b:1 over V = 3 with add-one: p(a) = 3/6, p(b) = 2/6, p(c) = 1/6
        double nll = LossTableDemo.unigramNll(new int[] {0, 0, 1}, new int[] {0, 2}, 3);
        assertEquals(-(Math.log(0.5) + Math.log(1.0 / 6)) / 2, nll, 1e-12);
    }

    @Test
    void badInputIsAOneLineErrorNamingTheValue() {
        Run r = run(new TrainingVsGenerationDemo(), "--data", data.toString(), "--iters", "1", "--out", dir.resolve("bad").toString());
        assertEquals(2, r.exit());
        assertInstanceOf(IllegalArgumentException.class, r.error());
        assertTrue(r.error().getMessage().contains("got 1"), r.error().getMessage());
        r = run(new AttentionDemo(), "--run", trained.toString(), "--sentence", "x".repeat(40), "--out", dir.resolve("bad2").toString());
        assertEquals(2, r.exit());
        assertTrue(r.error().getMessage().contains("40 tokens") && r.error().getMessage().contains("32"), r.error().getMessage());
        r = run(new LossTableDemo(), "--sizes", "huge", "--out", dir.resolve("bad3").toString());
        assertTrue(r.error().getMessage().contains("'huge'"), r.error().getMessage());
        r = run(new BigramDemo(), "--data", data.toString(), "--tokenizer", "bpe", "--out", dir.resolve("bad4").toString());
        assertTrue(r.error().getMessage().contains("'bpe'"), r.error().getMessage());
        r = run(new SamplingDemo(), "--run", dir.resolve("missing").toString(), "--out", dir.resolve("bad5").toString());
        assertTrue(r.error().getMessage().contains("no checkpoint"), r.error().getMessage());
    }
}
