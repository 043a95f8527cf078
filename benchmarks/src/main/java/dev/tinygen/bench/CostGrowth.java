package dev.tinygen.bench;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import dev.tinygen.nn.Backend;
import dev.tinygen.nn.NoGrad;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.Workspaces;
import dev.tinygen.nn.optim.AdamW;
import dev.tinygen.nn.plot.LinePlot;
import dev.tinygen.transformer.Gpt;
import dev.tinygen.transformer.GptConfig;
import dev.tinygen.transformer.KvCache;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How a GPT's cost grows with its context length T (block size) and its width C, starting from the cpuSmall recipe
 * (4 layers, 4 heads, C 128, T 64, batch 12, V 77): time per training step, and per generated token with and
 * without the KV cache.
 *
 * <p>What to expect, counting multiply-adds (L layers, B batch):
 * <ul>
 * <li>the matrix products of the projections and the MLP, 12 L C^2 per token: a training step costs
 *     O(B T C^2), linear in T and quadratic in C;
 * <li>attention's Q K^T and weights-times-V, 2 L T C per token (over T positions): a training step costs
 *     O(B T^2 C), quadratic in T; a cached token O(T C) per layer, linear in T;
 * <li>an uncached token reruns the whole context: O(T C^2 + T^2 C).
 * </ul>
 * The fit {@code time = a + b x + c x^2} over each sweep shows how much of the measured time the quadratic term
 * carries at the largest size.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.tinygen.bench.CostGrowth [--quick] [--out DIR]}.
 * Writes {@code cost-growth.md} (the tables) and {@code cost-growth.png} (two panels, log-log against the linear and
 * quadratic references) into DIR (default {@code benchmarks/results}).
 */
public final class CostGrowth {
    static final int V = 77, LAYERS = 4, HEADS = 4, BATCH = 12, BASE_T = 64, BASE_C = 128;

    /** One configuration's timings, in milliseconds (medians). */
    record Row(int t, int c, long params, double stepMs, double cachedTokenMs, double uncachedTokenMs) {}

    private CostGrowth() {}

    public static void main(String[] args) throws IOException {
        boolean quick = false;
        Path out = Path.of("benchmarks", "results");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--out" -> out = Path.of(GemmPeak.value(args, ++i, "--out"));
                default -> throw new IllegalArgumentException("CostGrowth: unknown option '" + args[i] + "', expected --quick or --out DIR");
            }
        }
        String backend = Backend.describe();
        System.out.println(backend);
        int[] blocks = quick ? new int[] {64, 128, 256, 512} : new int[] {64, 96, 128, 192, 256, 384, 512};
        int[] widths = quick ? new int[] {64, 128, 256, 384} : new int[] {64, 96, 128, 192, 256, 320, 384};
        int steps = quick ? 3 : 8, tokens = quick ? 5 : 20;

        measure(BASE_T, BASE_C, 2, 2);               // JIT and native warm-up, so the first size is not penalised
        List<Row> byT = new ArrayList<>();
        for (int t : blocks) byT.add(print(measure(t, BASE_C, steps, tokens)));
        List<Row> byC = new ArrayList<>();
        for (int c : widths) byC.add(print(measure(BASE_T, c, steps, tokens)));

        String md = report(byT, byC, backend, quick);
        System.out.println(md);
        Files.createDirectories(out);
        Files.writeString(out.resolve("cost-growth.md"), md, StandardCharsets.UTF_8);
        LinePlot.writePng(chart(byT, byC), out.resolve("cost-growth.png"));
        System.out.println("wrote " + out.resolve("cost-growth.md") + " and " + out.resolve("cost-growth.png"));
    }

    private static Row print(Row r) {
        System.out.printf(Locale.ROOT, "T %4d, C %4d: step %8.1f ms, token %6.2f ms cached, %7.2f ms uncached%n",
                r.t(), r.c(), r.stepMs(), r.cachedTokenMs(), r.uncachedTokenMs());
        return r;
    }

    /** Times training steps and generated tokens (at a full context of t - 1) for one configuration. */
    static Row measure(int t, int c, int steps, int tokens) {
        GptConfig cfg = new GptConfig(V, t, LAYERS, HEADS, c, 0.0, dev.tinygen.transformer.PositionalEncoding.LEARNED, false);
        Gpt model = new Gpt(cfg, new Rng(1337));
        model.to(DataType.FLOAT);
        AdamW opt = new AdamW(model.namedParameters(), 1e-3, 0.9, 0.99, 1e-8, 0.1);
        Rng rng = new Rng(10);
        INDArray ids = randomIds(rng, BATCH, t);                                         // (B, T)
        INDArray targets = randomIds(rng, BATCH, t);                                     // (B, T)
        String ws = "cost-growth-" + t + "-" + c;
        model.train();
        double[] stepMs = new double[steps];
        for (int i = -1; i < steps; i++) {            // step -1 sizes the workspace and warms up
            long t0 = System.nanoTime();
            try (MemoryWorkspace ignored = Workspaces.step(ws)) {
                Tensor l = model.loss(ids, targets);
                l.backward();
                opt.clipGradNorm(1.0);
                opt.step();
            }
            opt.zeroGrad();
            if (i >= 0) stepMs[i] = (System.nanoTime() - t0) / 1e6;
        }
        Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(ws).destroyWorkspace();

        model.eval();
        KvCache cache = new KvCache(cfg, 1, DataType.FLOAT);
        INDArray context = randomIds(rng, 1, t - 1);                                     // (1, T - 1)
        INDArray next = randomIds(rng, 1, 1);                                            // (1, 1)
        INDArray whole = Nd4j.concat(1, context, next);                                  // (1, T)
        double[] cached = new double[tokens], uncached = new double[tokens];
        for (int i = -1; i < tokens; i++) {
            cache.clear();
            model.prefill(context, cache);
            long t0 = System.nanoTime();
            model.forwardCached(next, cache);                                            // (1, V)
            long t1 = System.nanoTime();
            try (NoGrad ignored = NoGrad.scope()) {
                model.forward(whole);                                                    // (1, T, V)
            }
            long t2 = System.nanoTime();
            if (i >= 0) {
                cached[i] = (t1 - t0) / 1e6;
                uncached[i] = (t2 - t1) / 1e6;
            }
        }
        return new Row(t, c, model.parameterCount(), Stats.median(stepMs), Stats.median(cached), Stats.median(uncached));
    }

    private static INDArray randomIds(Rng rng, int b, int t) {
        int[][] x = new int[b][t];
        for (int[] row : x) for (int j = 0; j < t; j++) row[j] = rng.nextInt(V);
        return Nd4j.createFromArray(x);                                                  // (b, t)
    }

    /** Markdown: both sweeps, the expected operation counts, and the quadratic fits. */
    static String report(List<Row> byT, List<Row> byC, String backend, boolean quick) {
        StringBuilder s = new StringBuilder();
        s.append("## How cost grows").append(quick ? " (--quick)" : "").append("\n\n");
        s.append("`").append(backend).append("`; cpuSmall recipe (").append(LAYERS).append(" layers, ").append(HEADS)
                .append(" heads, batch ").append(BATCH).append(", V ").append(V).append("), one size changed at a time; medians.\n\n");
        s.append("Multiply-adds per training token (x3 for forward plus backward): matmuls 12 L C^2 (the O(C^2) term), ")
                .append("attention 2 L T C (the O(T^2) term per step: T tokens each attending over T positions).\n\n");
        table(s, "block size T (C = " + BASE_C + ")", byT, true);
        table(s, "width C (T = " + BASE_T + ")", byC, false);
        return s.toString();
    }

    private static void table(StringBuilder s, String what, List<Row> rows, boolean byT) {
        s.append("### ").append(what).append("\n\n");
        s.append("| ").append(byT ? "T" : "C").append(" | params | step ms | ms / training token | token ms, KV cache | token ms, no cache | attention share of step MACs |\n");
        s.append("|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            double matmul = 12.0 * r.c() * r.c(), attention = 2.0 * r.t() * r.c();
            s.append(String.format(Locale.ROOT, "| %d | %,d | %.1f | %.3f | %.2f | %.2f | %.0f%% |%n", byT ? r.t() : r.c(),
                    r.params(), r.stepMs(), r.stepMs() / (BATCH * r.t()), r.cachedTokenMs(), r.uncachedTokenMs(),
                    100 * attention / (matmul + attention)));
        }
        double[] x = rows.stream().mapToDouble(r -> byT ? r.t() : r.c()).toArray();
        s.append('\n');
        fitLine(s, "training step", x, rows.stream().mapToDouble(Row::stepMs).toArray(), byT ? "T" : "C");
        fitLine(s, "token with KV cache", x, rows.stream().mapToDouble(Row::cachedTokenMs).toArray(), byT ? "T" : "C");
        fitLine(s, "token without cache", x, rows.stream().mapToDouble(Row::uncachedTokenMs).toArray(), byT ? "T" : "C");
        s.append('\n');
    }

    private static void fitLine(StringBuilder s, String what, double[] x, double[] y, String v) {
        double[] f = Stats.quadraticFit(x, y);
        double xm = x[x.length - 1];
        double total = f[0] + f[1] * xm + f[2] * xm * xm;
        s.append(String.format(Locale.ROOT, "- %s: ms = %.3g + %.3g %s + %.3g %s^2; at %s = %.0f the %s^2 term is %.0f%% of the fitted time%n",
                what, f[0], f[1], v, f[2], v, v, xm, v, 100 * f[2] * xm * xm / total));
        if (f[0] < 0 || f[1] < 0 || f[2] < 0)
            s.append("  (a negative coefficient: these timings are too noisy for the fit to split the terms)\n");
    }

    /** Two log-log panels: time relative to the smallest size, against the linear and quadratic references. */
    static BufferedImage chart(List<Row> byT, List<Row> byC) {
        BufferedImage left = panel("cost vs block size T (C 128)", "log2(T / 64)", byT, true).render();
        BufferedImage right = panel("cost vs width C (T 64)", "log2(C / 64)", byC, false).render();
        BufferedImage img = new BufferedImage(left.getWidth() + right.getWidth(), left.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.drawImage(left, 0, 0, null);
        g.drawImage(right, left.getWidth(), 0, null);
        g.dispose();
        return img;
    }

    private static LinePlot panel(String title, String xLabel, List<Row> rows, boolean byT) {
        int n = rows.size();
        double[] x = new double[n], step = new double[n], cached = new double[n], uncached = new double[n],
                linear = new double[n], quadratic = new double[n];
        Row first = rows.get(0);
        double x0 = byT ? first.t() : first.c();
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            x[i] = log2((byT ? r.t() : r.c()) / x0);
            step[i] = log2(r.stepMs() / first.stepMs());
            cached[i] = log2(r.cachedTokenMs() / first.cachedTokenMs());
            uncached[i] = log2(r.uncachedTokenMs() / first.uncachedTokenMs());
            linear[i] = x[i];
            quadratic[i] = 2 * x[i];
        }
        return new LinePlot(title, xLabel, "log2(time / time at smallest)").size(640, 460)
                .series("training step", x, step).series("token, KV cache", x, cached)
                .series("token, no cache", x, uncached).series("linear", x, linear).series("quadratic", x, quadratic);
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }
}
