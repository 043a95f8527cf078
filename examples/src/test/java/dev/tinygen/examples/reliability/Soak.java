package dev.tinygen.examples.reliability;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import dev.tinygen.nn.Backend;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.data.TextCorpus;
import dev.tinygen.nn.plot.LinePlot;
import dev.tinygen.transformer.Generator;
import dev.tinygen.transformer.Gpt;
import dev.tinygen.transformer.GptConfig;
import dev.tinygen.transformer.GptTrainer;
import dev.tinygen.transformer.TrainConfig;
import dev.tinygen.transformer.sample.TemperatureSampler;
import dev.tinygen.transformer.tokenizer.CharTokenizer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.AllocationsTracker;

/**
 * The soak run: trains the cpuSmall GPT on the embedded Dickens text for many steps (or minutes), then generates
 * many tokens with the KV cache, sampling memory every K steps (and every K tokens): the Java heap in use after a
 * full GC, the process's resident size ({@link Pointer#physicalBytes()}) and the off-heap bytes JavaCPP tracks
 * ({@link Pointer#totalBytes()}), and ND4J's workspace bytes. They must stay flat after warm-up; a leak of one
 * activation per step would add megabytes per hundred steps.
 *
 * <p>It is a main, not a test (a full soak takes 15 minutes or more). Usage:
 * <pre>
 * Soak [--steps 20000] [--minutes 15] [--tokens 100000] [--every 100] [--out runs/soak]
 * </pre>
 * Writes {@code memory.csv} (phase, step or token count, seconds, heap, resident, JavaCPP and workspace MB, loss) and
 * {@code memory.png}, and prints the first, last and largest figure of each series per phase.
 */
public final class Soak {
    private Soak() {}

    record Sample(String phase, long count, double seconds, double heapMb, double physicalMb, double javacppMb, double workspaceMb,
                  double loss) {}

    public static void main(String[] args) throws IOException {
        int steps = 20_000, tokens = 100_000, every = 100;
        double minutes = 15;
        Path out = Path.of("runs", "soak");
        for (int i = 0; i < args.length; i += 2) {
            String v = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--steps" -> steps = Integer.parseInt(v);
                case "--minutes" -> minutes = Double.parseDouble(v);
                case "--tokens" -> tokens = Integer.parseInt(v);
                case "--every" -> every = Integer.parseInt(v);
                case "--out" -> out = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'; expected --steps, --minutes, --tokens, --every, --out");
            }
        }
        if (steps < 1 || tokens < 0 || every < 1 || !(minutes > 0))
            throw new IllegalArgumentException("need --steps >= 1, --tokens >= 0, --every >= 1, --minutes > 0; got %d, %d, %d, %s"
                    .formatted(steps, tokens, every, minutes));
        Files.createDirectories(out);
        System.out.println(Backend.describe());

        String text = TextCorpus.readResource("/dickens.txt");
        CharTokenizer tok = CharTokenizer.fromText(text);
        int split = (int) (text.length() * 0.9);
        int[] train = tok.encode(text.substring(0, split));
        int[] val = tok.encode(text.substring(split));
        Gpt model = new Gpt(GptConfig.cpuSmall(tok.vocabSize()), new Rng(1337));
        model.to(DataType.FLOAT);
        // The main job's recipe, evaluated and logged only at the end, and no checkpoints: memory of training alone.
        TrainConfig tc = new TrainConfig(12, steps, 1e-3, 1e-4, Math.min(100, steps - 1), 0.1, 0.9, 0.99, 1.0,
                steps, 2, 0, steps, 1337);
        GptTrainer trainer = new GptTrainer(model, tc, train, val, null, null).logTo(new PrintStream(PrintStream.nullOutputStream()));
        System.out.println(model.config().describe());

        List<Sample> samples = new ArrayList<>();
        long t0 = System.nanoTime();
        samples.add(sample("train", 0, t0, Double.NaN));
        long deadline = t0 + (long) (minutes * 60e9);
        while (trainer.step() < steps && System.nanoTime() < deadline) {
            GptTrainer.Result r = trainer.runUntil(Math.min(steps, trainer.step() + every));
            Sample s = sample("train", trainer.step(), t0, r.trainLoss());
            samples.add(s);
            if (trainer.step() % (every * 10) == 0 || trainer.step() == steps) print(s);
        }
        int trained = trainer.step();

        // Generation: many calls of blockSize - 1 new tokens each (each within the KV cache, as a server answering
        // requests would run), sampled from the per-token callback every `every` tokens.
        int[] generated = {0};
        long g0 = System.nanoTime();
        final int k = every;
        int[] prompt = {tok.idOf('\n')};
        Generator generator = new Generator(model);
        int perCall = model.config().blockSize() - 1;
        for (long seed = 7; generated[0] < tokens; seed++) {
            int n = Math.min(perCall, tokens - generated[0]);
            generator.generate(prompt, Generator.Options.of(n, new TemperatureSampler(1.0), seed)
                    .withCallback(id -> {
                        if (++generated[0] % k == 0) {
                            Sample s = sample("generate", generated[0], t0, Double.NaN);
                            samples.add(s);
                            if (generated[0] % (k * 100) == 0) print(s);
                        }
                    }));
        }
        double genSeconds = (System.nanoTime() - g0) / 1e9;

        writeCsv(out.resolve("memory.csv"), samples);
        plot(out.resolve("memory.png"), samples, trained);
        System.out.printf(Locale.ROOT, "trained %d steps in %.0f s; generated %d tokens in %.0f s (%.0f tokens/s)%n",
                trained, (g0 - t0) / 1e9, generated[0], genSeconds, generated[0] / genSeconds);
        summary("train", samples);
        summary("generate", samples);
        System.out.println("wrote " + out.resolve("memory.csv") + " and " + out.resolve("memory.png"));
    }

    /** {@link AllocationsTracker} counts only workspace memory on the CPU backend; JavaCPP counts none of ND4J's arrays. */
    private static Sample sample(String phase, long count, long t0, double loss) {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return new Sample(phase, count, (System.nanoTime() - t0) / 1e9, (rt.totalMemory() - rt.freeMemory()) / 1e6,
                Pointer.physicalBytes() / 1e6, Pointer.totalBytes() / 1e6, AllocationsTracker.getInstance().bytesOnDevice(0) / 1e6, loss);
    }

    private static void print(Sample s) {
        System.out.printf(Locale.ROOT, "%s %d: %.0f s, heap %.1f MB, resident %.1f MB, JavaCPP %.1f MB, ND4J workspaces %.1f MB%s%n",
                s.phase(), s.count(), s.seconds(), s.heapMb(), s.physicalMb(), s.javacppMb(), s.workspaceMb(),
                Double.isNaN(s.loss()) ? "" : ", loss %.4f".formatted(s.loss()));
    }

    /**
     * First, last and largest value of each series, and its drift: the mean of the last quarter of the samples
     * minus the mean of the second quarter (the first quarter is warm-up). Single samples swing by 100 MB and
     * more as the allocator returns memory or not, so only the means say whether memory climbs.
     */
    private static void summary(String phase, List<Sample> all) {
        List<Sample> p = all.stream().filter(s -> s.phase().equals(phase)).toList();
        if (p.size() < 4) return;
        Sample first = p.get(0), last = p.get(p.size() - 1);
        System.out.printf(Locale.ROOT, "%s, %d samples to %d: heap %.1f -> %.1f MB (max %.1f, drift %+.1f), "
                        + "resident %.1f -> %.1f MB (max %.1f, drift %+.1f), JavaCPP %.1f -> %.1f MB (max %.1f, drift %+.1f), "
                        + "ND4J workspaces %.1f -> %.1f MB (max %.1f, drift %+.1f)%n",
                phase, p.size(), last.count(),
                first.heapMb(), last.heapMb(), max(p, Sample::heapMb), drift(p, Sample::heapMb),
                first.physicalMb(), last.physicalMb(), max(p, Sample::physicalMb), drift(p, Sample::physicalMb),
                first.javacppMb(), last.javacppMb(), max(p, Sample::javacppMb), drift(p, Sample::javacppMb),
                first.workspaceMb(), last.workspaceMb(), max(p, Sample::workspaceMb), drift(p, Sample::workspaceMb));
    }

    private static double max(List<Sample> p, ToDoubleFunction<Sample> f) {
        return p.stream().mapToDouble(f).max().orElseThrow();
    }

    private static double drift(List<Sample> p, ToDoubleFunction<Sample> f) {
        int q = p.size() / 4;
        double second = p.subList(q, 2 * q).stream().mapToDouble(f).average().orElseThrow();
        double fourth = p.subList(p.size() - q, p.size()).stream().mapToDouble(f).average().orElseThrow();
        return fourth - second;
    }

    private static void writeCsv(Path file, List<Sample> samples) throws IOException {
        StringBuilder b = new StringBuilder("phase,count,seconds,heap_mb,resident_mb,javacpp_mb,nd4j_workspaces_mb,loss\n");
        for (Sample s : samples)
            b.append(String.format(Locale.ROOT, "%s,%d,%.2f,%.2f,%.2f,%.2f,%.2f,%s%n", s.phase(), s.count(), s.seconds(), s.heapMb(),
                    s.physicalMb(), s.javacppMb(), s.workspaceMb(), Double.isNaN(s.loss()) ? "" : String.format(Locale.ROOT, "%.5f", s.loss())));
        Files.writeString(file, b, StandardCharsets.UTF_8);
    }

    /** Memory against wall-clock seconds, training then generation, in one chart. */
    private static void plot(Path file, List<Sample> samples, int trained) throws IOException {
        double[] x = samples.stream().mapToDouble(Sample::seconds).toArray();
        new LinePlot("MB: resident (physicalBytes), JavaCPP (totalBytes), heap after GC, ND4J workspaces; %d steps, then generation"
                .formatted(trained), "seconds", "MB")
                .size(1000, 560)
                .series("resident", x, samples.stream().mapToDouble(Sample::physicalMb).toArray())
                .series("JavaCPP", x, samples.stream().mapToDouble(Sample::javacppMb).toArray())
                .series("heap", x, samples.stream().mapToDouble(Sample::heapMb).toArray())
                .series("workspaces", x, samples.stream().mapToDouble(Sample::workspaceMb).toArray())
                .write(file);
    }
}
