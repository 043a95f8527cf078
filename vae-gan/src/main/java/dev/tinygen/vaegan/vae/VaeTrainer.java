package dev.tinygen.vaegan.vae;

import java.io.PrintStream;
import java.util.Locale;
import dev.tinygen.nn.NoGrad;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Workspaces;
import dev.tinygen.nn.data.TensorDataset;
import dev.tinygen.nn.optim.Adam;
import dev.tinygen.vaegan.ae.Images;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Trains a {@link Vae} with Adam on the summed negative ELBO, one flat loop, and reports the train and test loss per
 * sample after every epoch.
 *
 * <p>The train figure is the mean over the epoch's steps, as the reference prints it (the model moves during the
 * epoch); the test figure draws {@code z} once per image, as the reference does too, so both are single-sample
 * estimates of the negative ELBO.
 */
public final class VaeTrainer {
    private VaeTrainer() {}

    /**
     * @param epochs passes over the training images
     * @param batch  images per step
     * @param lr     Adam's learning rate
     * @param seed   drives shuffling and the noise {@code eps}; the model's initialisation has its own {@link Rng}
     */
    public record Options(int epochs, int batch, double lr, long seed) {
        public Options {
            if (epochs <= 0) throw new IllegalArgumentException("vae training: epochs must be positive, got " + epochs);
            if (batch <= 0) throw new IllegalArgumentException("vae training: batch must be positive, got " + batch);
            if (!(lr > 0) || Double.isInfinite(lr))
                throw new IllegalArgumentException("vae training: learning rate must be finite and > 0, got " + lr);
        }

        /** The reference recipe: 10 epochs, batch 128, Adam 1e-3. */
        public static Options reference(long seed) {
            return new Options(10, 128, 1e-3, seed);
        }
    }

    /** Per-epoch losses per sample (nats), and the mean wall time of an epoch's training steps. */
    public record Result(double[] trainLoss, double[] testLoss, double secondsPerEpoch) {
        public double finalTrainLoss() {
            return trainLoss[trainLoss.length - 1];
        }

        public double finalTestLoss() {
            return testLoss[testLoss.length - 1];
        }
    }

    /**
     * Trains {@code vae} on {@code train} images {@code (N, D)} in [0, 1] and evaluates on {@code test} after each
     * epoch (skipped when {@code test} is null: the test losses are then NaN). {@code log} may be null.
     */
    public static Result train(Vae vae, INDArray train, INDArray test, Options o, PrintStream log) {
        INDArray x = Images.flatten(train, vae.config().imageSize(), "vae training");
        if (test != null) Images.flatten(test, vae.config().imageSize(), "vae test");
        Rng rng = new Rng(o.seed());
        Rng noise = rng.fork();
        Adam opt = new Adam(vae.namedParameters(), o.lr());
        TensorDataset data = new TensorDataset(x.castTo(vae.dtype()), (INDArray) null);
        double[] trainLoss = new double[o.epochs()];
        double[] testLoss = new double[o.epochs()];
        double trainSeconds = 0;
        vae.train();
        for (int e = 0; e < o.epochs(); e++) {
            long t0 = System.nanoTime();
            double sum = 0;
            long seen = 0;
            for (TensorDataset.Batch b : data.loader(o.batch(), rng)) {
                try (MemoryWorkspace ignored = Workspaces.step("vae-train")) {
                    Vae.Elbo l = vae.loss(b.features(), noise);
                    l.total().backward();
                    opt.step();
                    sum += l.total().item();
                }
                opt.zeroGrad();
                seen += b.size();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            trainSeconds += seconds;
            trainLoss[e] = sum / seen;
            testLoss[e] = test == null ? Double.NaN : testLoss(vae, test, noise);
            if (log != null)
                log.printf(Locale.ROOT, "epoch %d: train %.2f, test %.2f per sample, %.2f s%n", e + 1, trainLoss[e],
                        testLoss[e], seconds);
        }
        return new Result(trainLoss, testLoss, trainSeconds / o.epochs());
    }

    /** The negative ELBO per sample over {@code images}, one draw of {@code z} per image. */
    public static double testLoss(Vae vae, INDArray images, Rng rng) {
        INDArray x = Images.flatten(images, vae.config().imageSize(), "vae test").castTo(vae.dtype());
        long n = x.size(0);
        double sum = 0;
        try (NoGrad ignored = NoGrad.scope()) {
            for (long from = 0; from < n; from += 1000) {
                long to = Math.min(n, from + 1000);
                try (MemoryWorkspace ws = Workspaces.step("vae-eval")) {
                    INDArray xb = x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup('c');   // (b, D)
                    sum += vae.loss(xb, rng).total().item();
                }
            }
        }
        return sum / n;
    }
}
