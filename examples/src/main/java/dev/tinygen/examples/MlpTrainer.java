package dev.tinygen.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import dev.tinygen.nn.NoGrad;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.Workspaces;
import dev.tinygen.nn.data.Mnist;
import dev.tinygen.nn.data.TensorDataset;
import dev.tinygen.nn.optim.AdamW;
import dev.tinygen.nn.ops.CrossEntropy;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Trains an {@link Mlp} on MNIST with AdamW and reports test accuracy per epoch. */
public final class MlpTrainer {
    /** Losses of every step and test accuracy after every epoch. */
    public record Result(List<Double> losses, double[] testAccuracy, double secondsPerEpoch, double stepsPerSecond) {}

    private MlpTrainer() {}

    /**
     * @param maxSteps stop after this many steps in all (for short determinism runs); Integer.MAX_VALUE for full epochs
     */
    public static Result train(Mnist.Split train, Mnist.Split test, int hidden, int epochs, int batch, double lr,
                               long seed, int maxSteps, PrintStream log) {
        if (epochs <= 0) throw new IllegalArgumentException("epochs must be positive, got " + epochs);
        if (batch <= 0) throw new IllegalArgumentException("batch must be positive, got " + batch);
        Rng rng = new Rng(seed);
        Mlp model = new Mlp(784, hidden, 10, rng);
        AdamW opt = new AdamW(model.namedParameters(), lr, 0.9, 0.999, 1e-8, 0.01);
        TensorDataset data = train.dataset();
        List<Double> losses = new ArrayList<>();
        double[] acc = new double[epochs];
        long start = System.nanoTime();
        int steps = 0;
        for (int e = 0; e < epochs && steps < maxSteps; e++) {
            for (TensorDataset.Batch b : data.loader(batch, rng)) {
                if (steps >= maxSteps) break;
                try (MemoryWorkspace ignored = Workspaces.step("mlp-train")) {
                    Tensor loss = CrossEntropy.apply(model.forward(Tensor.constant(b.features())), b.labels());
                    losses.add(loss.item());
                    loss.backward();
                    opt.step();
                }
                opt.zeroGrad();
                steps++;
            }
            acc[e] = accuracy(model, test);
            if (log != null)
                log.printf(Locale.ROOT, "epoch %d: last loss %.4f, test accuracy %.4f%n", e + 1, losses.get(losses.size() - 1), acc[e]);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(losses, acc, seconds / epochs, steps / seconds);
    }

    /** Fraction of test images whose highest logit is the true label. */
    public static double accuracy(Mlp model, Mnist.Split test) {
        int correct = 0, n = test.size();
        int[] labels = test.labels();
        try (NoGrad ignored = NoGrad.scope()) {
            for (int from = 0; from < n; from += 1000) {
                int to = Math.min(n, from + 1000);
                try (MemoryWorkspace ws = Workspaces.step("mlp-eval")) {
                    INDArray x = test.images().get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
                    INDArray pred = model.forward(Tensor.constant(x)).value().argMax(1);
                    for (int i = from; i < to; i++) if (pred.getInt(i - from) == labels[i]) correct++;
                }
            }
        }
        return correct / (double) n;
    }
}
