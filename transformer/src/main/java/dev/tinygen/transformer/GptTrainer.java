package dev.tinygen.transformer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import dev.tinygen.nn.Backend;
import dev.tinygen.nn.NoGrad;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.Workspaces;
import dev.tinygen.nn.io.Checkpoint;
import dev.tinygen.nn.optim.AdamW;
import dev.tinygen.nn.optim.WarmupCosine;
import dev.tinygen.nn.plot.LinePlot;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains a {@link Gpt} on a token sequence: random windows, AdamW, warmup then cosine decay, gradient clipping,
 * periodic evaluation, a loss CSV and plot, and checkpoints from which a run resumes on the same trajectory.
 *
 * <p>Every step runs in one reused workspace, so activations do not pile up off-heap over a long run. Training
 * batches come from their own {@link Rng}; evaluation batches from a generator seeded by the step, so evaluating
 * (or not) never changes the training trajectory, and a resumed run sees exactly the batches an uninterrupted one
 * would.
 */
public final class GptTrainer {
    /** One evaluation point. {@code val} is NaN where none was measured. */
    public record Point(int step, double train, double val, double lr, double ms) {}

    /** The figures of a finished run. */
    public record Result(long params, int iters, double trainLoss, double valLoss, double msPerIter, double tokensPerS,
                         List<Point> history) {}

    /** Thrown when the loss stops being a finite number. */
    public static final class DivergedException extends RuntimeException {
        DivergedException(String message) {
            super(message);
        }
    }

    private final Gpt model;
    private final TrainConfig tc;
    private final TokenWindows train;
    private final TokenWindows val;
    private final Path outDir;
    private final Map<String, String> extraMetadata;
    private final AdamW optimizer;
    private final WarmupCosine schedule;
    private final Rng batchRng;
    private PrintStream log = System.out;
    private int step;
    private int lastGoodCheckpoint = -1;
    private boolean cleanedTemporaries;
    private final List<Point> history = new ArrayList<>();

    /**
     * @param outDir         where {@code checkpoint.safetensors}, {@code loss.csv} and {@code loss.png} go (null: nowhere)
     * @param extraMetadata  saved in every checkpoint beside the config (e.g. the tokenizer)
     */
    public GptTrainer(Gpt model, TrainConfig tc, int[] trainTokens, int[] valTokens, Path outDir,
                      Map<String, String> extraMetadata) {
        this.model = model;
        this.tc = tc;
        int block = model.config().blockSize();
        this.train = new TokenWindows("the training split", trainTokens, block);
        this.val = new TokenWindows("the validation split", valTokens, block);
        this.outDir = outDir;
        this.extraMetadata = extraMetadata == null ? Map.of() : Map.copyOf(extraMetadata);
        this.optimizer = new AdamW(model.namedParameters(), tc.learningRate(), tc.beta1(), tc.beta2(), 1e-8, tc.weightDecay());
        this.schedule = new WarmupCosine(tc.learningRate(), tc.warmupIters(), tc.iters(), tc.minLearningRate());
        this.batchRng = new Rng(tc.seed() ^ 0x5DEECE66DL);
    }

    public GptTrainer logTo(PrintStream out) {
        this.log = out;
        return this;
    }

    public int step() {
        return step;
    }

    public Gpt model() {
        return model;
    }

    public List<Point> history() {
        return List.copyOf(history);
    }

    /** Trains from the current step to {@code tc.iters()}; writes CSV, plot and a final checkpoint if outDir is set. */
    public Result run() {
        return runUntil(tc.iters());
    }

    /** Trains up to (not including) step {@code stopAt}; used to interrupt a run in tests. */
    public Result runUntil(int stopAt) {
        model.train();
        int block = model.config().blockSize();
        long tokensPerStep = (long) tc.batchSize() * block;
        double lastTrain = Double.NaN, lastVal = Double.NaN;
        double totalMs = 0;
        int timed = 0;
        while (step < Math.min(stopAt, tc.iters())) {
            double lr = schedule.at(step);
            optimizer.setLearningRate(lr);
            long t0 = System.nanoTime();
            double loss;
            try (MemoryWorkspace ignored = Workspaces.step("gpt-train")) {
                INDArray[] xy = train.batch(tc.batchSize(), batchRng);
                Tensor l = model.loss(xy[0], xy[1]);
                loss = l.item();
                if (!Double.isFinite(loss))
                    throw new DivergedException("loss became %s at step %d; %s".formatted(loss, step + 1,
                            lastGoodCheckpoint >= 0 ? "the last good checkpoint is from step " + lastGoodCheckpoint
                                    : "no checkpoint was written yet"));
                l.backward();
                if (tc.gradClip() > 0) optimizer.clipGradNorm(tc.gradClip());
                optimizer.step();
            }
            optimizer.zeroGrad();
            double ms = (System.nanoTime() - t0) / 1e6;
            if (step > 0) {          // the first step includes one-off costs (workspace sizing, JIT)
                totalMs += ms;
                timed++;
            }
            lastTrain = loss;
            step++;
            boolean evalNow = step % tc.evalInterval() == 0 || step == tc.iters();
            double v = Double.NaN;
            if (evalNow) {
                double[] tv = evaluate();
                lastVal = v = tv[1];
                log.printf(Locale.ROOT, "step %d: train %.4f, val %.4f (%s)%n", step, tv[0], tv[1], Backend.memory());
            }
            history.add(new Point(step, loss, v, lr, ms));
            if (step % tc.logInterval() == 0 || step == tc.iters())
                log.printf(Locale.ROOT, "%s step %d/%d: loss %.4f, lr %.2e, %.0f ms, %.0f tok/s%n",
                        progressBar(step, tc.iters()), step, tc.iters(), loss, lr, ms, tokensPerStep / (ms / 1000));
            if (outDir != null && ((tc.checkpointInterval() > 0 && step % tc.checkpointInterval() == 0) || step == tc.iters())) {
                saveCheckpoint(outDir.resolve("checkpoint.safetensors"));
            }
        }
        if (outDir != null) writeHistory();
        double msPerIter = timed == 0 ? Double.NaN : totalMs / timed;
        return new Result(model.parameterCount(), step, lastTrain, lastVal, msPerIter,
                tokensPerStep / (msPerIter / 1000), history());
    }

    /** Mean loss over {@code evalIters} batches of the training and validation splits: {train, val}. */
    public double[] evaluate() {
        boolean wasTraining = model.isTraining();
        model.eval();
        double[] out = new double[2];
        Rng evalRng = new Rng(tc.seed() * 31 + step);
        try (NoGrad ignored = NoGrad.scope()) {
            TokenWindows[] splits = {train, val};
            for (int s = 0; s < 2; s++) {
                double sum = 0;
                for (int i = 0; i < tc.evalIters(); i++) {
                    try (MemoryWorkspace ws = Workspaces.step("gpt-eval")) {
                        INDArray[] xy = splits[s].batch(tc.batchSize(), evalRng);
                        sum += model.loss(xy[0], xy[1]).item();
                    }
                }
                out[s] = sum / tc.evalIters();
            }
        } finally {
            if (wasTraining) model.train();
        }
        return out;
    }

    /** Saves weights, optimizer state, config, step and both random generators' states, atomically. */
    public void saveCheckpoint(Path path) {
        Map<String, String> meta = new LinkedHashMap<>(extraMetadata);
        meta.put("format", "tinygen-gpt");
        meta.put("config", model.config().toProperties());
        meta.put("step", Integer.toString(step));
        meta.put("batch_rng", Long.toString(batchRng.state()));
        meta.put("model_rng", Long.toString(model.rng().state()));
        try {
            Path dir = path.toAbsolutePath().getParent();
            if (dir != null) Files.createDirectories(dir);
            if (!cleanedTemporaries) {          // leftovers of a run killed mid-write; this run is the only writer
                Checkpoint.removeStaleTemporaries(path);
                cleanedTemporaries = true;
            }
            Checkpoint.save(path, model, optimizer, meta);
            lastGoodCheckpoint = step;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + path + ": " + e.getMessage(), e);
        }
    }

    /** Restores a checkpoint written by {@link #saveCheckpoint}; the run then continues from its step. */
    public void resume(Path path) {
        Map<String, String> meta;
        try {
            meta = Checkpoint.load(path, model, optimizer);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read checkpoint " + path + ": " + e.getMessage(), e);
        }
        String cfg = meta.get("config");
        if (cfg != null && !GptConfig.fromProperties(cfg).equals(model.config()))
            throw new IllegalArgumentException("checkpoint %s was trained with %s, but this model is %s"
                    .formatted(path, cfg, model.config().toProperties()));
        step = Integer.parseInt(meta.getOrDefault("step", "0"));
        lastGoodCheckpoint = step;
        batchRng.setState(Long.parseLong(meta.get("batch_rng")));
        model.rng().setState(Long.parseLong(meta.get("model_rng")));
        history.removeIf(p -> p.step() > step);
    }

    private void writeHistory() {
        StringBuilder csv = new StringBuilder("step,train_loss,val_loss,lr,ms\n");
        List<Double> xs = new ArrayList<>(), ts = new ArrayList<>(), vx = new ArrayList<>(), vs = new ArrayList<>();
        for (Point p : history) {
            csv.append(String.format(Locale.ROOT, "%d,%.6f,%s,%.6e,%.3f%n", p.step(), p.train(),
                    Double.isNaN(p.val()) ? "" : String.format(Locale.ROOT, "%.6f", p.val()), p.lr(), p.ms()));
            xs.add((double) p.step());
            ts.add(p.train());
            if (!Double.isNaN(p.val())) {
                vx.add((double) p.step());
                vs.add(p.val());
            }
        }
        try {
            Files.createDirectories(outDir);
            Path tmp = outDir.resolve("loss.csv.tmp");
            Files.writeString(tmp, csv, StandardCharsets.UTF_8);
            Files.move(tmp, outDir.resolve("loss.csv"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            new LinePlot("GPT training loss", "step", "cross-entropy (nats)")
                    .series("train", unbox(xs), unbox(ts)).series("validation", unbox(vx), unbox(vs))
                    .write(outDir.resolve("loss.png"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the loss history into " + outDir + ": " + e.getMessage(), e);
        }
    }

    /** {@code [#######-------------]  35%}: how far the run has come. */
    static String progressBar(int done, int total) {
        int width = 20;
        int filled = (int) ((long) done * width / total);
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] " + String.format(Locale.ROOT, "%3d%%", done * 100L / total);
    }

    private static double[] unbox(List<Double> l) {
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
