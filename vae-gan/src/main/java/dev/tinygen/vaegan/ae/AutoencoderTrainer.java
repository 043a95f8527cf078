package dev.tinygen.vaegan.ae;

import java.io.PrintStream;
import java.util.Locale;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.Workspaces;
import dev.tinygen.nn.data.TensorDataset;
import dev.tinygen.nn.optim.Adam;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Trains an {@link Autoencoder} with Adam, plain (input = target) or denoising (noisy input, clean target). */
public final class AutoencoderTrainer {
    private AutoencoderTrainer() {}

    /**
     * @param epochs passes over the training images
     * @param batch  images per step
     * @param lr     Adam's learning rate
     * @param seed   drives shuffling and noise; the model's initialisation has its own {@link Rng}
     */
    public record Options(int epochs, int batch, double lr, long seed) {
        public Options {
            if (epochs <= 0) throw new IllegalArgumentException("autoencoder training: epochs must be positive, got " + epochs);
            if (batch <= 0) throw new IllegalArgumentException("autoencoder training: batch must be positive, got " + batch);
            if (!(lr > 0) || Double.isInfinite(lr))
                throw new IllegalArgumentException("autoencoder training: learning rate must be finite and > 0, got " + lr);
        }

        /** 5 epochs, batch 128, Adam 1e-3. */
        public static Options defaults(long seed) {
            return new Options(5, 128, 1e-3, seed);
        }
    }

    /** The mean training loss (summed BCE per image) of every epoch, and seconds per epoch. */
    public record Result(double[] epochLoss, double secondsPerEpoch) {
        public double finalLoss() {
            return epochLoss[epochLoss.length - 1];
        }
    }

    /**
     * Trains on {@code images} {@code (N, D)} in [0, 1]; with a {@code noise}, each batch is corrupted afresh and the
     * clean batch is the target. {@code noise} and {@code log} may be null.
     */
    public static Result train(Autoencoder ae, INDArray images, Noise noise, Options o, PrintStream log) {
        INDArray x = Images.flatten(images, ae.config().imageSize(), "autoencoder training").castTo(ae.dtype());
        Rng rng = new Rng(o.seed());
        Rng noiseRng = rng.fork();
        Adam opt = new Adam(ae.namedParameters(), o.lr());
        TensorDataset data = new TensorDataset(x, (INDArray) null);
        double[] losses = new double[o.epochs()];
        long start = System.nanoTime();
        ae.train();
        for (int e = 0; e < o.epochs(); e++) {
            double sum = 0;
            long seen = 0;
            for (TensorDataset.Batch b : data.loader(o.batch(), rng)) {
                try (MemoryWorkspace ignored = Workspaces.step("ae-train")) {
                    INDArray clean = b.features();
                    INDArray input = noise == null ? clean : noise.apply(clean, noiseRng);
                    Tensor loss = ae.loss(input, clean);
                    loss.backward();
                    opt.step();
                    sum += loss.item() * b.size();
                }
                opt.zeroGrad();
                seen += b.size();
            }
            losses[e] = sum / seen;
            if (log != null)
                log.printf(Locale.ROOT, "epoch %d: train loss %.2f per image%s%n", e + 1, losses[e],
                        noise == null ? "" : " (" + noise.name() + " input)");
        }
        return new Result(losses, (System.nanoTime() - start) / 1e9 / o.epochs());
    }
}
