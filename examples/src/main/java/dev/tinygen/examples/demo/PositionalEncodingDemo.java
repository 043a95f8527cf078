package dev.tinygen.examples.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import dev.tinygen.nn.plot.LinePlot;
import dev.tinygen.transformer.Gpt;
import dev.tinygen.transformer.GptConfig;
import dev.tinygen.transformer.GptTrainer;
import dev.tinygen.transformer.PositionalEncoding;
import dev.tinygen.transformer.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Positional encoding: attention alone does not know where a token stands, so positions are added. The sinusoidal
 * table of "Attention Is All You Need" as an image (each column a sine or cosine of a different wavelength), how
 * alike two positions' codes are (a function of their distance), and the validation loss of the same nano GPT
 * trained with learned, sinusoidal, rotary and no positions.
 */
@Command(name = "demo-positions", mixinStandardHelpOptions = true,
        description = {"The sinusoidal matrix as an image, and the loss with and without positions.",
            "Writes sinusoidal.png, position_similarity.png, positions_loss.png and positions.csv.",
            "Example: tinygen demo-positions --iters 300 --kinds LEARNED,NONE"})
public final class PositionalEncodingDemo implements Callable<Integer> {
    @Mixin DemoOptions common = new DemoOptions();
    @Option(names = "--iters", defaultValue = "500", description = "Training steps per model (default: ${DEFAULT-VALUE}).") int iters;
    @Option(names = "--kinds", defaultValue = "LEARNED,SINUSOIDAL,ROTARY,NONE", split = ",",
            description = "Positional encodings to train with (default: ${DEFAULT-VALUE}).") List<PositionalEncoding> kinds;
    @Option(names = "--positions", defaultValue = "64", description = "Rows (positions) of the sinusoidal picture (default: ${DEFAULT-VALUE}).") int positions;
    @Option(names = "--width", defaultValue = "128", description = "Columns (embedding width, even) of the sinusoidal picture (default: ${DEFAULT-VALUE}).") int width;

    /** The (positions, positions) cosine similarity of the sinusoidal codes: how alike positions i and j look. */
    public static double[][] positionSimilarity(double[][] pe) {
        double[][] s = new double[pe.length][pe.length];
        for (int i = 0; i < pe.length; i++)
            for (int j = 0; j < pe.length; j++) s[i][j] = CosineSimilarity.of(pe[i], pe[j]);
        return s;
    }

    @Override
    public Integer call() throws Exception {
        if (kinds.isEmpty()) throw new IllegalArgumentException("--kinds names no positional encoding");
        Path out = common.outputFolder("demo-positions");
        double[][] pe = Gpt.sinusoidalEncoding(positions, width).toDoubleMatrix();     // (positions, width)
        List<String> rowLabels = new ArrayList<>(), colLabels = new ArrayList<>();
        for (int p = 0; p < positions; p++) rowLabels.add(Integer.toString(p));
        for (int c = 0; c < width; c++) colLabels.add(Integer.toString(c));
        new Heatmap("sinusoidal positional encoding PE[p, 2i] = sin(p / 10000^(2i/C)), PE[p, 2i+1] = cos(...)", pe)
                .rows(rowLabels).columns(colLabels).range(-1, 1).diverging(true).cellSize(Math.max(3, Math.min(8, 720 / width)))
                .axes("dimension (C = " + width + ")", "position p").write(out.resolve("sinusoidal.png"));
        double[][] sim = positionSimilarity(pe);
        new Heatmap("cosine similarity of two positions' codes", sim).rows(rowLabels).columns(rowLabels).range(-1, 1)
                .diverging(true).axes("position", "position").write(out.resolve("position_similarity.png"));
        System.out.printf(Locale.ROOT, "sinusoidal table (%d, %d): cosine of position 10 with 11: %.3f, with 20: %.3f, with 40: %.3f%n",
                positions, width, sim[Math.min(10, positions - 1)][Math.min(11, positions - 1)],
                sim[Math.min(10, positions - 1)][Math.min(20, positions - 1)], sim[Math.min(10, positions - 1)][Math.min(40, positions - 1)]);

        DemoCorpus corpus = common.corpus();
        Tokenizer tok = DemoModel.charTokenizer(corpus);
        LinePlot plot = new LinePlot("validation loss by positional encoding (nano GPT)", "step", "cross-entropy (nats)");
        Csv csv = new Csv("positions", "params", "iters", "train_loss", "val_loss", "ms_per_iter");
        Figures f = new Figures().put("demo", "positions").put("iters", iters);
        System.out.printf(Locale.ROOT, "%ntraining the same nano GPT for %d steps with each encoding on %s:%n", iters, corpus.name());
        System.out.printf(Locale.ROOT, "%-12s %9s %11s %10s %10s%n", "positions", "params", "train loss", "val loss", "ms/step");
        for (PositionalEncoding kind : kinds) {
            GptConfig cfg = GptConfig.nano(tok.vocabSize()).withPositions(kind);
            DemoModel m = DemoModel.train(new Gpt(cfg, new dev.tinygen.nn.Rng(common.seed())), corpus, tok, iters,
                    common.seed(), null, null);
            GptTrainer.Result r = m.result();
            List<double[]> val = new ArrayList<>();
            for (GptTrainer.Point p : r.history()) if (!Double.isNaN(p.val())) val.add(new double[] {p.step(), p.val()});
            plot.series(kind.name().toLowerCase(Locale.ROOT), val.stream().mapToDouble(a -> a[0]).toArray(),
                    val.stream().mapToDouble(a -> a[1]).toArray());
            System.out.printf(Locale.ROOT, "%-12s %,9d %11.4f %10.4f %10.0f%n", kind.name().toLowerCase(Locale.ROOT), r.params(),
                    r.trainLoss(), r.valLoss(), r.msPerIter());
            csv.row(kind.name(), r.params(), r.iters(), r.trainLoss(), r.valLoss(), r.msPerIter());
            f.put("val_loss_" + kind.name().toLowerCase(Locale.ROOT), r.valLoss());
        }
        plot.write(out.resolve("positions_loss.png"));
        csv.write(out.resolve("positions.csv"));
        Object none = f.get("val_loss_none"), learned = f.get("val_loss_learned");
        if (none instanceof Double n && learned instanceof Double l)
            System.out.printf(Locale.ROOT, "without positions the model sees which tokens came before (through the causal mask) but"
                    + " not in which order: validation loss %.4f against %.4f with learned positions (%+.4f nats)%n", n, l, n - l);
        System.out.println("pictures: " + out.resolve("sinusoidal.png") + ", " + out.resolve("position_similarity.png") + ", "
                + out.resolve("positions_loss.png"));
        System.out.println(f.put("out", out.toString()).toJson());
        return 0;
    }
}
