package dev.tinygen.examples.demo;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import dev.tinygen.nn.Backend;
import dev.tinygen.nn.Rng;
import dev.tinygen.transformer.Gpt;
import dev.tinygen.transformer.GptConfig;
import dev.tinygen.transformer.GptTrainer;
import dev.tinygen.transformer.sample.TemperatureSampler;
import dev.tinygen.transformer.tokenizer.Tokenizer;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Training versus generation: the same model samples noise before training (its loss is about ln V, a uniform
 * guess), learns from the text while the train and validation losses fall, then samples text that looks like the
 * corpus. Training changes the weights; generation only reads them.
 */
@Command(name = "demo-train-vs-generate", mixinStandardHelpOptions = true,
        description = {"Sample before training, train while plotting the train/validation loss, sample after.",
            "Writes loss.csv, loss.png (the curves), samples.txt, checkpoint.safetensors and tokenizer.txt.",
            "Example: tinygen demo-train-vs-generate --iters 500 --out runs/tvg"})
public final class TrainingVsGenerationDemo implements Callable<Integer> {
    @Mixin DemoOptions common = new DemoOptions();
    @Option(names = "--iters", defaultValue = "600", description = "Training steps (default: ${DEFAULT-VALUE}).") int iters;
    @Option(names = "--preset", defaultValue = "nano", description = "nano | cpuSmall | mini (default: ${DEFAULT-VALUE}).") String preset;
    @Option(names = "--prompt", defaultValue = "The ", description = "Text the samples continue (default: '${DEFAULT-VALUE}').") String prompt;
    @Option(names = "--tokens", defaultValue = "200", description = "Tokens per sample (default: ${DEFAULT-VALUE}).") int tokens;
    @Option(names = "--temperature", defaultValue = "0.8", description = "Sampling temperature (default: ${DEFAULT-VALUE}).") double temperature;
    @Option(names = "--quiet", description = "No per-step log lines.") boolean quiet;

    @Override
    public Integer call() throws Exception {
        if (tokens < 1) throw new IllegalArgumentException("--tokens must be >= 1, got " + tokens);
        System.out.println(Backend.describe());
        DemoCorpus corpus = common.corpus();
        Path out = common.outputFolder("demo-train-vs-generate");
        Tokenizer tok = DemoModel.charTokenizer(corpus);
        GptConfig cfg = Presets.of(preset, tok.vocabSize());
        System.out.println(cfg.describe());
        Gpt model = new Gpt(cfg, new Rng(common.seed()));
        model.to(DataType.FLOAT);
        DemoModel untrained = new DemoModel(model, tok, null);

        GptTrainer probe = new GptTrainer(model, DemoModel.recipe(iters, common.seed()), tok.encode(corpus.trainText()),
                tok.encode(corpus.valText()), null, Map.of());
        double[] before = probe.evaluate();
        String sampleBefore = untrained.sample(prompt, tokens, new TemperatureSampler(temperature), common.seed());
        System.out.printf(Locale.ROOT, "%n---- before training (loss %.3f; uniform guess ln V = %.3f) ----%n%s%s%n",
                before[1], Math.log(tok.vocabSize()), prompt, sampleBefore);

        long t0 = System.nanoTime();
        DemoModel trained = DemoModel.train(model, corpus, tok, iters, common.seed(), out,
                quiet ? new PrintStream(OutputStream.nullOutputStream()) : System.out);
        double seconds = (System.nanoTime() - t0) / 1e9;
        String sampleAfter = trained.sample(prompt, tokens, new TemperatureSampler(temperature), common.seed());
        GptTrainer.Result r = trained.result();
        System.out.printf(Locale.ROOT, "%n---- after %d steps (validation loss %.3f) ----%n%s%s%n%n", r.iters(), r.valLoss(),
                prompt, sampleAfter);

        System.out.printf(Locale.ROOT, "%-8s %-14s %-12s%n", "step", "batch loss", "val loss");
        System.out.printf(Locale.ROOT, "%-8d %-14.4f %-12.4f%n", 0, before[0], before[1]);
        for (GptTrainer.Point p : r.history())
            if (!Double.isNaN(p.val())) System.out.printf(Locale.ROOT, "%-8d %-14.4f %-12.4f%n", p.step(), p.train(), p.val());
        java.nio.file.Files.writeString(out.resolve("samples.txt"),
                "before training:\n" + prompt + sampleBefore + "\n\nafter " + r.iters() + " steps:\n" + prompt + sampleAfter + "\n");
        System.out.println("loss curve: " + out.resolve("loss.png") + ", samples: " + out.resolve("samples.txt"));
        System.out.println(new Figures().put("demo", "train-vs-generate").put("params", r.params()).put("iters", r.iters())
                .put("val_loss_before", before[1]).put("uniform_nll", Math.log(tok.vocabSize()))
                .put("train_loss", r.trainLoss()).put("val_loss", r.valLoss()).put("ms_per_iter", r.msPerIter())
                .put("seconds", seconds).put("out", out.toString()).toJson());
        return 0;
    }
}
