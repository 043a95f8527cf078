package dev.tinygen.vaegan.classifier;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.Workspaces;
import dev.tinygen.nn.data.Mnist;
import dev.tinygen.nn.data.TensorDataset;
import dev.tinygen.nn.ops.CrossEntropy;
import dev.tinygen.nn.optim.Adam;
import org.nd4j.linalg.api.memory.MemoryWorkspace;

/** Trains a {@link DigitClassifier} with Adam on labelled digits and reports test accuracy after every epoch. */
public final class ClassifierTrainer {
    /**
     * Settings of a run.
     *
     * @param maxSteps stop after this many steps in all (short test runs); {@code Integer.MAX_VALUE} for whole epochs
     */
    public record Config(int epochs, int batch, double lr, long seed, int maxSteps) {
        public Config {
            if (epochs < 1) throw new IllegalArgumentException("classifier: epochs must be >= 1, got " + epochs);
            if (batch < 1) throw new IllegalArgumentException("classifier: batch must be >= 1, got " + batch);
            if (!(lr > 0)) throw new IllegalArgumentException("classifier: learning rate must be > 0, got " + lr);
            if (maxSteps < 1) throw new IllegalArgumentException("classifier: maxSteps must be >= 1, got " + maxSteps);
        }

        /** Two epochs of batch 128 at Adam 1e-3: measured above 98.5% test accuracy. */
        public static Config standard(long seed) {
            return new Config(2, 128, 1e-3, seed, Integer.MAX_VALUE);
        }
    }

    /** The trained model, every step's loss, and the test accuracy after each epoch. */
    public record Result(DigitClassifier model, List<Double> losses, double[] testAccuracy, double secondsPerEpoch) {
        public double finalAccuracy() {
            return testAccuracy[testAccuracy.length - 1];
        }
    }

    private ClassifierTrainer() {}

    public static Result train(Mnist.Split train, Mnist.Split test, Config cfg, PrintStream log) {
        if (train.size() == 0) throw new IllegalArgumentException("classifier: the training set is empty");
        if (test.size() == 0) throw new IllegalArgumentException("classifier: the test set is empty");
        Rng rng = new Rng(cfg.seed());
        DigitClassifier model = new DigitClassifier(rng);
        Adam opt = new Adam(model.namedParameters(), cfg.lr());
        TensorDataset data = train.dataset();
        List<Double> losses = new ArrayList<>();
        double[] acc = new double[cfg.epochs()];
        int steps = 0;
        int epochsRun = 0;
        long start = System.nanoTime();
        for (int e = 0; e < cfg.epochs() && steps < cfg.maxSteps(); e++) {
            model.train();
            long t0 = System.nanoTime();
            int epochSteps = 0;
            for (TensorDataset.Batch b : data.loader(cfg.batch(), rng)) {
                if (steps >= cfg.maxSteps()) break;
                try (MemoryWorkspace ws = Workspaces.step("classifier-train")) {
                    Tensor loss = CrossEntropy.apply(model.forward(Tensor.constant(b.features())), b.labels());
                    losses.add(loss.item());
                    loss.backward();
                    opt.step();
                }
                opt.zeroGrad();
                steps++;
                epochSteps++;
                if (log != null && steps % 100 == 0)
                    log.printf(Locale.ROOT, "step %d: loss %.4f, %.0f ms/step%n", steps, losses.get(losses.size() - 1),
                            (System.nanoTime() - t0) / 1e6 / epochSteps);
            }
            model.eval();
            acc[e] = model.accuracy(test.images(), test.labels());
            epochsRun++;
            if (log != null) log.printf(Locale.ROOT, "epoch %d: test accuracy %.4f%n", e + 1, acc[e]);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(model, losses, java.util.Arrays.copyOf(acc, epochsRun), seconds / epochsRun);
    }
}
