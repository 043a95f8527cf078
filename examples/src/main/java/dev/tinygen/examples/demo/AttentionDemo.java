package dev.tinygen.examples.demo;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import dev.tinygen.nn.plot.LinePlot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Attention made visible: for one sentence, the weights every head of every layer puts on earlier positions, one
 * heatmap per head (query rows, key columns, labelled with the tokens). Heads of one layer look at different
 * things: one mostly at the previous token, another spread over the word or the whole context.
 */
@Command(name = "demo-attention", mixinStandardHelpOptions = true,
        description = {"Attention heatmaps per head for a sentence from a trained model.",
            "Writes attention_layer<L>.png (one panel per head) and attention.csv; prints what each head looks at.",
            "Trains a nano GPT first unless --run names a train-gpt output folder.",
            "Example: tinygen demo-attention --run runs/quick --sentence \"Little Nell and her grandfather\""})
public final class AttentionDemo implements Callable<Integer> {
    @Mixin DemoOptions common = new DemoOptions();
    @Option(names = "--run", description = "A train-gpt (or demo) output folder to look inside instead of training here.") Path run;
    @Option(names = "--iters", defaultValue = "1000", description = "Training steps of the nano GPT when no --run is given (default: ${DEFAULT-VALUE}).")
    int iters;
    @Option(names = "--sentence", defaultValue = "The old man smiled at the child.",
            description = "Text to look at, at most the model's block size in tokens (default: '${DEFAULT-VALUE}').") String sentence;

    @Override
    public Integer call() throws Exception {
        if (sentence.isEmpty()) throw new IllegalArgumentException("--sentence is empty");
        Path out = common.outputFolder("demo-attention");
        DemoModel dm = DemoModel.loadOrTrain(run, common, iters, out.resolve("model"));
        int[] ids = dm.tokenizer().encode(sentence);
        int block = dm.model().config().blockSize();
        if (ids.length > block)
            throw new IllegalArgumentException("--sentence has %d tokens, more than the model's block size %d; shorten it"
                    .formatted(ids.length, block));
        AttentionMaps maps = AttentionMaps.of(dm.model(), ids);
        List<String> labels = new ArrayList<>();
        for (int id : ids) labels.add(DemoOptions.label(dm.tokenizer().decode(new int[] {id})));

        Csv csv = new Csv("layer", "head", "query", "key", "query_token", "key_token", "weight");
        System.out.printf(Locale.ROOT, "%nsentence '%s' (%d tokens); what each head looks at:%n", sentence, ids.length);
        System.out.printf(Locale.ROOT, "%-6s %-5s %14s %15s %16s%n", "layer", "head", "mean distance", "previous token", "entropy (nats)");
        double maxPrev = 0, minDist = Double.POSITIVE_INFINITY, maxDist = 0;
        String prevHead = "";
        List<Path> pngs = new ArrayList<>();
        for (int l = 0; l < maps.layers(); l++) {
            List<BufferedImage> panels = new ArrayList<>();
            for (int h = 0; h < maps.heads(); h++) {
                double[][] w = maps.weights(l, h);
                AttentionMaps.HeadSummary s = AttentionMaps.summarize(w);
                System.out.printf(Locale.ROOT, "%-6d %-5d %14.2f %15.2f %16.2f%n", l, h, s.meanDistance(), s.previousToken(), s.entropy());
                if (s.previousToken() > maxPrev) {
                    maxPrev = s.previousToken();
                    prevHead = l + "." + h;
                }
                minDist = Math.min(minDist, s.meanDistance());
                maxDist = Math.max(maxDist, s.meanDistance());
                for (int q = 0; q < w.length; q++)
                    for (int k = 0; k <= q; k++) csv.row(l, h, q, k, labels.get(q), labels.get(k), w[q][k]);
                panels.add(new Heatmap(String.format(Locale.ROOT, "layer %d, head %d (mean distance %.1f)", l, h, s.meanDistance()), w)
                        .rows(labels).columns(labels).range(0, 1).axes("key (attended to)", "query (attending)").render());
            }
            Path png = out.resolve("attention_layer" + l + ".png");
            LinePlot.writePng(Heatmap.tile(panels, Math.min(4, panels.size())), png);
            pngs.add(png);
        }
        csv.write(out.resolve("attention.csv"));
        System.out.println("mean distance: how many positions back the head looks on average; previous token: its weight on"
                + " the token just before; entropy: 0 = one position, higher = spread out.");
        System.out.println("pictures: " + pngs);
        System.out.println(new Figures().put("demo", "attention").put("tokens", ids.length).put("layers", maps.layers())
                .put("heads", maps.heads()).put("most_previous_token_head", prevHead).put("previous_token_weight", maxPrev)
                .put("min_mean_distance", minDist).put("max_mean_distance", maxDist).put("out", out.toString()).toJson());
        return 0;
    }
}
