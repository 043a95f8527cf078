package dev.tinygen.examples.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import dev.tinygen.nn.plot.LinePlot;
import dev.tinygen.transformer.sample.GreedySampler;
import dev.tinygen.transformer.sample.Sampler;
import dev.tinygen.transformer.sample.TemperatureSampler;
import dev.tinygen.transformer.sample.TopKSampler;
import dev.tinygen.transformer.sample.TopPSampler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Temperature, top-k and top-p on one prompt: the next-token distribution each setting draws from (its entropy in
 * nats and how many tokens keep a chance), and a continuation sampled with it. Low temperature sharpens the
 * distribution towards greedy; high temperature flattens it towards uniform; top-k and top-p cut the unlikely tail.
 */
@Command(name = "demo-sampling", mixinStandardHelpOptions = true,
        description = {"The same prompt at several temperatures and top-k/top-p settings, with the entropy of the next-token distribution.",
            "Writes sampling.png (probabilities of the likeliest next tokens per setting), entropy.png (entropy against temperature),",
            "sampling.csv and samples.txt. Trains a nano GPT first unless --run names a train-gpt output folder.",
            "Example: tinygen demo-sampling --run runs/quick --prompt \"She said \" --temperatures 0.3,1,2"})
public final class SamplingDemo implements Callable<Integer> {
    @Mixin DemoOptions common = new DemoOptions();
    @Option(names = "--run", description = "A train-gpt (or demo) output folder to sample from instead of training here.") Path run;
    @Option(names = "--iters", defaultValue = "600", description = "Training steps of the nano GPT when no --run is given (default: ${DEFAULT-VALUE}).")
    int iters;
    @Option(names = "--prompt", defaultValue = "The old gentleman ", description = "Prompt (default: '${DEFAULT-VALUE}').") String prompt;
    @Option(names = "--tokens", defaultValue = "80", description = "Tokens per sample (default: ${DEFAULT-VALUE}).") int tokens;
    @Option(names = "--temperatures", defaultValue = "0.2,0.5,0.8,1.0,1.5", split = ",",
            description = "Temperatures to compare (default: ${DEFAULT-VALUE}).") double[] temperatures;
    @Option(names = "--top-k", defaultValue = "5,20", split = ",", description = "k values, at temperature 1 (default: ${DEFAULT-VALUE}).") int[] topKs;
    @Option(names = "--top-p", defaultValue = "0.5,0.9", split = ",", description = "p values, at temperature 1 (default: ${DEFAULT-VALUE}).") double[] topPs;

    /** One way to pick the next token, and the distribution it draws from. */
    public record Setting(String name, Sampler sampler, double[] probabilities) {}

    /** Greedy, then each temperature, each top-k and each top-p (the latter two at temperature 1). */
    public static List<Setting> settings(double[] logits, double[] temperatures, int[] topKs, double[] topPs) {
        List<Setting> s = new ArrayList<>();
        s.add(new Setting("greedy", new GreedySampler(), NextTokenDistribution.greedy(logits)));
        for (double t : temperatures)
            s.add(new Setting(String.format(Locale.ROOT, "T=%.2f", t), new TemperatureSampler(t), NextTokenDistribution.of(logits, t, 0, 0)));
        for (int k : topKs)
            s.add(new Setting("top-k " + k, new TopKSampler(k, 1.0), NextTokenDistribution.of(logits, 1.0, k, 0)));
        for (double p : topPs)
            s.add(new Setting(String.format(Locale.ROOT, "top-p %.2f", p), new TopPSampler(p, 1.0), NextTokenDistribution.of(logits, 1.0, 0, p)));
        return s;
    }

    @Override
    public Integer call() throws Exception {
        if (tokens < 1) throw new IllegalArgumentException("--tokens must be >= 1, got " + tokens);
        Path out = common.outputFolder("demo-sampling");
        DemoModel dm = DemoModel.loadOrTrain(run, common, iters, out.resolve("model"));
        double[] logits = dm.nextLogits(prompt);
        List<Setting> settings = settings(logits, temperatures, topKs, topPs);

        int shown = Math.min(16, logits.length);
        int[] likeliest = BigramDemo.mostFrequentByWeight(NextTokenDistribution.softmax(logits, 1.0), shown);
        List<String> cols = new ArrayList<>();
        for (int id : likeliest) cols.add(DemoOptions.label(dm.tokenizer().decode(new int[] {id})));
        System.out.printf(Locale.ROOT, "prompt '%s'; next-token distribution per setting (V = %d, ln V = %.3f):%n%n",
                prompt, logits.length, Math.log(logits.length));
        System.out.printf(Locale.ROOT, "%-12s %9s %8s %10s  %s%n", "setting", "entropy", "tokens", "top token", "sample");
        double[][] heat = new double[settings.size()][shown];
        List<String> rows = new ArrayList<>();
        Csv csv = new Csv("setting", "entropy_nats", "support", "top_token", "top_probability", "sample");
        StringBuilder samples = new StringBuilder();
        Figures f = new Figures().put("demo", "sampling").put("vocab", logits.length);
        for (int i = 0; i < settings.size(); i++) {
            Setting s = settings.get(i);
            double[] p = s.probabilities();
            int best = 0;
            for (int j = 1; j < p.length; j++) if (p[j] > p[best]) best = j;
            double h = NextTokenDistribution.entropy(p);
            String sample = dm.sample(prompt, tokens, s.sampler(), common.seed());
            System.out.printf(Locale.ROOT, "%-12s %9.3f %8d %10s  %s%n", s.name(), h, NextTokenDistribution.support(p),
                    String.format(Locale.ROOT, "'%s' %.2f", DemoOptions.label(dm.tokenizer().decode(new int[] {best})), p[best]),
                    sample.replace("\n", " "));
            csv.row(s.name(), h, NextTokenDistribution.support(p), dm.tokenizer().decode(new int[] {best}), p[best], sample);
            samples.append("[").append(s.name()).append("] ").append(prompt).append(sample).append("\n\n");
            for (int j = 0; j < shown; j++) heat[i][j] = p[likeliest[j]];
            rows.add(s.name());
            f.put("entropy_" + s.name().replaceAll("[^A-Za-z0-9.]+", "_").replace("=", ""), h);
        }
        new Heatmap("next-token probabilities after '" + DemoOptions.label(prompt) + "'", heat)
                .rows(rows).columns(cols).range(0, 1).axes("likeliest next tokens (at T = 1)", "setting")
                .write(out.resolve("sampling.png"));

        double[] ts = new double[40];
        double[] hFull = new double[ts.length], hK = new double[ts.length], hP = new double[ts.length];
        int k = topKs.length > 0 ? topKs[0] : 5;
        double pp = topPs.length > 0 ? topPs[topPs.length - 1] : 0.9;
        for (int i = 0; i < ts.length; i++) {
            ts[i] = 0.05 * (i + 1);
            hFull[i] = NextTokenDistribution.entropy(NextTokenDistribution.of(logits, ts[i], 0, 0));
            hK[i] = NextTokenDistribution.entropy(NextTokenDistribution.of(logits, ts[i], k, 0));
            hP[i] = NextTokenDistribution.entropy(NextTokenDistribution.of(logits, ts[i], 0, pp));
        }
        new LinePlot("entropy of the next-token distribution", "temperature", "entropy (nats)")
                .series("full softmax", ts, hFull).series("top-k " + k, ts, hK)
                .series(String.format(Locale.ROOT, "top-p %.2f", pp), ts, hP)
                .series("ln V (uniform)", new double[] {ts[0], ts[ts.length - 1]}, new double[] {Math.log(logits.length), Math.log(logits.length)})
                .write(out.resolve("entropy.png"));
        csv.write(out.resolve("sampling.csv"));
        java.nio.file.Files.writeString(out.resolve("samples.txt"), samples);
        System.out.println("pictures: " + out.resolve("sampling.png") + ", " + out.resolve("entropy.png"));
        System.out.println(f.put("out", out.toString()).toJson());
        return 0;
    }
}
