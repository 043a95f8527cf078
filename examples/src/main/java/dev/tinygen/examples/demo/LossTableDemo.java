package dev.tinygen.examples.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import dev.tinygen.nn.plot.LinePlot;
import dev.tinygen.transformer.GptConfig;
import dev.tinygen.transformer.GptTrainer;
import dev.tinygen.transformer.bigram.BigramModel;
import dev.tinygen.transformer.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The loss table of the classic course progression, on one text with one character tokenizer: a uniform guess
 * (ln V), unigram frequencies, the bigram model, then GPTs of growing size after the same number of steps. Each
 * row is the validation cross-entropy in nats per token; lower means the model is less surprised by unseen text.
 */
@Command(name = "demo-loss-table", mixinStandardHelpOptions = true,
        description = {"Validation loss on the same text: uniform -> unigram -> bigram -> GPT sizes.",
            "Writes loss_table.csv and loss_table.png (the GPTs' validation curves against the count-based lines).",
            "Example: tinygen demo-loss-table --iters 2000 --sizes nano,cpuSmall,mini"})
public final class LossTableDemo implements Callable<Integer> {
    @Mixin DemoOptions common = new DemoOptions();
    @Option(names = "--iters", defaultValue = "500", description = "Training steps of every GPT (default: ${DEFAULT-VALUE}).") int iters;
    @Option(names = "--sizes", defaultValue = "nano,cpuSmall", split = ",", description = "GPT presets to train, " + Presets.NAMES
            + " (default: ${DEFAULT-VALUE}).") List<String> sizes;

    /** One row of the table. {@code params} 0 for the count-based models, which have counts, not learned weights. */
    public record Row(String model, long params, int iters, double trainLoss, double valLoss, double seconds) {}

    /** Cross-entropy in nats of predicting each token of {@code eval} from add-one smoothed unigram frequencies of {@code train}. */
    public static double unigramNll(int[] train, int[] eval, int v) {
        if (train.length == 0 || eval.length == 0) throw new IllegalArgumentException("unigram: need training and evaluation tokens");
        double[] counts = new double[v];
        for (int id : train) counts[id]++;
        double total = train.length + v;
        double sum = 0;
        for (int id : eval) sum -= Math.log((counts[id] + 1) / total);
        return sum / eval.length;
    }

    @Override
    public Integer call() throws Exception {
        if (sizes.isEmpty()) throw new IllegalArgumentException("--sizes names no GPT preset; expected some of " + Presets.NAMES);
        for (String s : sizes) Presets.of(s, 2);
        Path out = common.outputFolder("demo-loss-table");
        DemoCorpus corpus = common.corpus();
        Tokenizer tok = DemoModel.charTokenizer(corpus);
        int[] train = tok.encode(corpus.trainText());
        int[] val = tok.encode(corpus.valText());
        int v = tok.vocabSize();
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("uniform (ln V)", 0, 0, Math.log(v), Math.log(v), 0));
        rows.add(new Row("unigram", 0, 0, unigramNll(train, train, v), unigramNll(train, val, v), 0));
        long t0 = System.nanoTime();
        BigramModel bigram = BigramModel.fit(train, v, 1.0);
        rows.add(new Row("bigram (add-1)", 0, 0, bigram.nll(train), bigram.nll(val), (System.nanoTime() - t0) / 1e9));
        System.out.printf(Locale.ROOT, "%s: %,d train / %,d validation characters, V = %d%n", corpus.name(), train.length, val.length, v);

        LinePlot plot = new LinePlot("validation loss: counting vs GPTs (" + iters + " steps)", "step", "cross-entropy (nats)");
        for (Row r : rows)
            plot.series(r.model(), new double[] {0, iters}, new double[] {r.valLoss(), r.valLoss()});
        for (String size : sizes) {
            GptConfig cfg = Presets.of(size, v);
            System.out.printf(Locale.ROOT, "training %s (%,d parameters) for %d steps...%n", size, cfg.parameterCount(), iters);
            long s0 = System.nanoTime();
            DemoModel m = DemoModel.train(corpus, tok, cfg, iters, common.seed(), null, null);
            double seconds = (System.nanoTime() - s0) / 1e9;
            GptTrainer.Result r = m.result();
            rows.add(new Row("gpt " + size + " (L" + cfg.nLayer() + " nh" + cfg.nHead() + " C" + cfg.nEmbd() + " T" + cfg.blockSize() + ")",
                    r.params(), r.iters(), r.trainLoss(), r.valLoss(), seconds));
            List<double[]> pts = new ArrayList<>();
            for (GptTrainer.Point p : r.history()) if (!Double.isNaN(p.val())) pts.add(new double[] {p.step(), p.val()});
            plot.series("gpt " + size, pts.stream().mapToDouble(a -> a[0]).toArray(), pts.stream().mapToDouble(a -> a[1]).toArray());
        }

        System.out.printf(Locale.ROOT, "%n%-34s %12s %7s %11s %10s %9s%n", "model", "parameters", "steps", "train loss", "val loss", "seconds");
        Csv csv = new Csv("model", "params", "iters", "train_loss", "val_loss", "seconds");
        Figures f = new Figures().put("demo", "loss-table").put("vocab", v).put("iters", iters);
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "%-34s %,12d %7d %11.4f %10.4f %9.1f%n", r.model(), r.params(), r.iters(), r.trainLoss(),
                    r.valLoss(), r.seconds());
            csv.row(r.model(), r.params(), r.iters(), r.trainLoss(), r.valLoss(), r.seconds());
            f.put("val_" + r.model().split(" \\(")[0].replace(' ', '_'), r.valLoss());
        }
        System.out.println("train loss of a GPT row: its last training batch; validation: 10 random batches of the held-out 10%;"
                + " count-based rows: every token of each part.");
        csv.write(out.resolve("loss_table.csv"));
        plot.write(out.resolve("loss_table.png"));
        System.out.println("picture: " + out.resolve("loss_table.png"));
        System.out.println(f.put("out", out.toString()).toJson());
        return 0;
    }
}
