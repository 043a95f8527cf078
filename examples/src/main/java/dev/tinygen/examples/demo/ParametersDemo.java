package dev.tinygen.examples.demo;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import dev.tinygen.nn.Parameter;
import dev.tinygen.nn.Rng;
import dev.tinygen.transformer.Gpt;
import dev.tinygen.transformer.GptConfig;
import dev.tinygen.transformer.PositionalEncoding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Parameters versus hyperparameters: the hyperparameters are chosen before training (vocabulary, context, layers,
 * heads, width); the parameters are the numbers training learns, and every one of their shapes is a product of the
 * hyperparameters. The table shows each learned tensor with its shape written in hyperparameter letters.
 */
@Command(name = "demo-parameters", mixinStandardHelpOptions = true,
        description = {"The parameter table of a model (name, shape, count) beside the hyperparameters that shaped it.",
            "Writes parameters.png (a bar per learned tensor), parameters.csv, hyperparameters.csv and presets.csv.",
            "Example: tinygen demo-parameters --preset mini --tied"})
public final class ParametersDemo implements Callable<Integer> {
    @Mixin DemoOptions common = new DemoOptions();
    @Option(names = "--preset", defaultValue = "cpuSmall", description = Presets.NAMES + " (default: ${DEFAULT-VALUE}).") String preset;
    @Option(names = "--vocab", description = "Vocabulary size V (default: the characters of the corpus).") Integer vocab;
    @Option(names = "--layers", description = "Override the preset's number of blocks.") Integer layers;
    @Option(names = "--heads", description = "Override the preset's heads per block.") Integer heads;
    @Option(names = "--width", description = "Override the preset's embedding width C.") Integer width;
    @Option(names = "--block", description = "Override the preset's context length T.") Integer block;
    @Option(names = "--positions", description = "LEARNED | SINUSOIDAL | ROTARY | NONE (default: the preset's).") PositionalEncoding positions;
    @Option(names = "--tied", description = "Tie the output head to the token embedding.") boolean tied;

    /** A dimension written in hyperparameter letters: C, 3C, 4C, V or T when it equals one (in that order), else the number. */
    public static String symbolic(long dim, GptConfig cfg) {
        long c = cfg.nEmbd();
        if (dim == c) return "C";
        if (dim == 3 * c) return "3C";
        if (dim == 4 * c) return "4C";
        if (dim == cfg.vocabSize()) return "V";
        if (dim == cfg.blockSize()) return "T";
        return Long.toString(dim);
    }

    /** The part of the model a parameter belongs to, for the per-part totals. */
    public static String part(String name) {
        if (name.startsWith("wte.") || name.startsWith("wpe.")) return "embeddings";
        if (name.contains(".attn.")) return "attention";
        if (name.contains(".mlp.")) return "feed-forward";
        if (name.contains("ln_")) return "layer norms";
        if (name.startsWith("lm_head.")) return "output head";
        return "other";
    }

    @Override
    public Integer call() throws Exception {
        Path out = common.outputFolder("demo-parameters");
        int v = vocab != null ? vocab : DemoModel.charTokenizer(common.corpus()).vocabSize();
        GptConfig base = Presets.of(preset, v);
        GptConfig cfg = new GptConfig(v, block != null ? block : base.blockSize(), layers != null ? layers : base.nLayer(),
                heads != null ? heads : base.nHead(), width != null ? width : base.nEmbd(), base.dropout(),
                positions != null ? positions : base.positions(), tied);
        Gpt model = new Gpt(cfg, new Rng(common.seed()));

        Csv hyper = new Csv("hyperparameter", "letter", "value", "meaning");
        hyper.row("vocabSize", "V", cfg.vocabSize(), "tokens the model reads and predicts");
        hyper.row("blockSize", "T", cfg.blockSize(), "longest context in tokens");
        hyper.row("nLayer", "L", cfg.nLayer(), "transformer blocks");
        hyper.row("nHead", "nh", cfg.nHead(), "attention heads per block");
        hyper.row("nEmbd", "C", cfg.nEmbd(), "width of every token's vector");
        hyper.row("headSize", "hs", cfg.headSize(), "C / nh");
        hyper.row("dropout", "", cfg.dropout(), "drop probability while training");
        hyper.row("positions", "", cfg.positions(), "how positions are encoded");
        hyper.row("tiedHead", "", cfg.tiedHead(), "output head shares the token embedding");
        System.out.println("HYPERPARAMETERS (chosen before training, never learned):");
        for (String line : hyper.render().split("\n")) {
            if (line.startsWith("hyperparameter,")) continue;
            String[] c = line.split(",", 4);
            System.out.printf(Locale.ROOT, "  %-10s %-3s %-10s %s%n", c[0], c[1], c[2], c[3]);
        }

        System.out.println("\nPARAMETERS (learned; every shape is made of the hyperparameters):");
        System.out.printf(Locale.ROOT, "  %-26s %-12s %-10s %10s%n", "name", "shape", "in letters", "count");
        Csv params = new Csv("name", "shape", "symbolic_shape", "count", "part");
        Map<String, Long> parts = new LinkedHashMap<>();
        BarChart chart = new BarChart("parameters per learned tensor: %,d in all".formatted(model.parameterCount()),
                "hyperparameters: V=%d T=%d L=%d nh=%d C=%d hs=%d, positions %s, head %s".formatted(cfg.vocabSize(),
                        cfg.blockSize(), cfg.nLayer(), cfg.nHead(), cfg.nEmbd(), cfg.headSize(),
                        cfg.positions().name().toLowerCase(Locale.ROOT), cfg.tiedHead() ? "tied" : "separate"));
        for (var e : model.namedParameters().entrySet()) {
            Parameter p = e.getValue();
            long[] shape = p.shape();
            String sym = "(" + String.join(", ", Arrays.stream(shape).mapToObj(d -> symbolic(d, cfg)).toList()) + ")";
            long count = p.value().length();
            System.out.printf(Locale.ROOT, "  %-26s %-12s %-10s %,10d%n", e.getKey(), Arrays.toString(shape), sym, count);
            params.row(e.getKey(), Arrays.toString(shape).replace(",", ""), sym.replace(",", ""), count, part(e.getKey()));
            parts.merge(part(e.getKey()), count, Long::sum);
            chart.bar(e.getKey() + " " + sym, count, part(e.getKey()));
        }
        long total = model.parameterCount();
        System.out.printf(Locale.ROOT, "  %-26s %-12s %-10s %,10d%n%n", "total", "", "", total);
        for (var e : parts.entrySet())
            System.out.printf(Locale.ROOT, "  %-14s %,10d  %5.1f%%%n", e.getKey(), e.getValue(), 100.0 * e.getValue() / total);
        if (total != cfg.parameterCount())
            throw new IllegalStateException("the model has %d parameters but the config's formula says %d".formatted(total, cfg.parameterCount()));

        System.out.println("\nThe presets at V = " + v + ":");
        Csv presets = new Csv("preset", "layers", "heads", "width", "block", "parameters");
        for (String name : new String[] {"nano", "cpuSmall", "mini"}) {
            GptConfig p = Presets.of(name, v);
            System.out.printf(Locale.ROOT, "  %-9s L=%d nh=%d C=%-4d T=%-4d %,12d parameters%n", name, p.nLayer(), p.nHead(),
                    p.nEmbd(), p.blockSize(), p.parameterCount());
            presets.row(name, p.nLayer(), p.nHead(), p.nEmbd(), p.blockSize(), p.parameterCount());
        }
        hyper.write(out.resolve("hyperparameters.csv"));
        params.write(out.resolve("parameters.csv"));
        presets.write(out.resolve("presets.csv"));
        chart.write(out.resolve("parameters.png"));
        System.out.println("picture: " + out.resolve("parameters.png"));
        Figures f = new Figures().put("demo", "parameters").put("config", cfg.toProperties()).put("params", total)
                .put("formula_params", cfg.parameterCount()).put("tensors", model.namedParameters().size());
        for (var e : parts.entrySet()) f.put(e.getKey().replace(' ', '_').replace('-', '_'), e.getValue());
        System.out.println(f.put("out", out.toString()).toJson());
        return 0;
    }
}
