package dev.tinygen.vaegan.gan;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import dev.tinygen.nn.data.Mnist;
import dev.tinygen.nn.data.TensorDataset;
import dev.tinygen.nn.plot.LinePlot;
import dev.tinygen.vaegan.ImageGrid;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Trains a {@link Gan} on digits for a number of epochs and keeps a visual record: after every epoch a grid of
 * samples from the same fixed noise ({@code epoch-NN.png}; for a conditional GAN, column c asks for digit c), and
 * at the end a progress strip with the first row of every epoch's grid, top to bottom ({@code progress.png}), and
 * the mean discriminator and generator losses per epoch ({@code losses.png}).
 */
public final class GanTrainer {
    /** Mean losses of one epoch and its wall time. */
    public record Epoch(int epoch, double discriminatorLoss, double generatorLoss, double seconds) {}

    /** The trained GAN, its epochs and the losses of every step. */
    public record Result(Gan gan, List<Epoch> epochs, List<Gan.Losses> steps) {
        public double secondsPerEpoch() {
            return epochs.stream().mapToDouble(Epoch::seconds).average().orElse(Double.NaN);
        }
    }

    private static final int GRID_COLS = 10;
    private static final int GRID_ROWS = 8;

    private GanTrainer() {}

    /**
     * @param maxSteps stop after this many steps in all (short runs); {@code Integer.MAX_VALUE} for whole epochs
     * @param out      folder for the PNGs, or null to write none
     */
    public static Result train(Gan gan, Mnist.Split train, int epochs, int maxSteps, Path out, PrintStream log) throws IOException {
        if (epochs < 1) throw new IllegalArgumentException("gan trainer: epochs must be >= 1, got " + epochs);
        if (maxSteps < 1) throw new IllegalArgumentException("gan trainer: maxSteps must be >= 1, got " + maxSteps);
        if (train.size() == 0) throw new IllegalArgumentException("gan trainer: the training set is empty");
        if (train.size() < gan.config().batch())
            throw new IllegalArgumentException("gan trainer: %d training images are fewer than one batch of %d"
                    .formatted(train.size(), gan.config().batch()));
        if (out != null) Files.createDirectories(out);
        int n = GRID_COLS * GRID_ROWS;
        INDArray fixedNoise = gan.noise(n);
        int[] fixedLabels = null;
        if (gan.config().isConditional()) {
            fixedLabels = new int[n];
            for (int i = 0; i < n; i++) fixedLabels[i] = i % GRID_COLS % gan.config().classes();
        }
        TensorDataset data = train.dataset();
        int batch = gan.config().batch();
        List<Epoch> history = new ArrayList<>();
        List<Gan.Losses> steps = new ArrayList<>();
        List<INDArray> progress = new ArrayList<>();                                      // first grid row per epoch
        for (int e = 1; e <= epochs && steps.size() < maxSteps; e++) {
            long t0 = System.nanoTime();
            double dSum = 0, gSum = 0;
            int count = 0;
            for (TensorDataset.Batch b : data.loader(batch, gan.rng())) {
                if (steps.size() >= maxSteps) break;
                if (b.size() < batch) continue;  // a ragged last batch would give the discriminator an uneven step
                int[] labels = gan.config().isConditional() ? b.labels().toIntVector() : null;
                Gan.Losses l = gan.step(b.features(), labels);
                steps.add(l);
                dSum += l.discriminator();
                gSum += l.generator();
                count++;
                if (log != null && steps.size() % 200 == 0)
                    log.printf(Locale.ROOT, "step %d: D %.4f, G %.4f, %.1f ms/step%n", steps.size(), l.discriminator(),
                            l.generator(), (System.nanoTime() - t0) / 1e6 / count);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Epoch ep = new Epoch(e, count == 0 ? Double.NaN : dSum / count, count == 0 ? Double.NaN : gSum / count, seconds);
            history.add(ep);
            if (log != null)
                log.printf(Locale.ROOT, "epoch %d: D loss %.4f, G loss %.4f, %.1f s%n", e, ep.discriminatorLoss(), ep.generatorLoss(), seconds);
            if (out != null) {
                INDArray grid = gan.generate(fixedNoise, fixedLabels);
                ImageGrid.write(grid, GRID_ROWS, GRID_COLS, out.resolve(String.format(Locale.ROOT, "epoch-%02d.png", e)));
                progress.add(grid.get(NDArrayIndex.interval(0, GRID_COLS), NDArrayIndex.all()).dup());  // (10, 784)
            }
        }
        if (out != null && !progress.isEmpty()) {
            List<String> labels = history.stream().map(ep -> "epoch " + ep.epoch()).toList();
            ImageGrid.write(Nd4j.vstack(progress.toArray(INDArray[]::new)), progress.size(), GRID_COLS, labels,
                    out.resolve("progress.png"));                                           // (epochs x 10) digits
            double[] x = history.stream().mapToDouble(Epoch::epoch).toArray();
            new LinePlot("GAN losses per epoch", "epoch", "mean BCE")
                    .series("discriminator", x, history.stream().mapToDouble(Epoch::discriminatorLoss).toArray())
                    .series("generator", x, history.stream().mapToDouble(Epoch::generatorLoss).toArray())
                    .write(out.resolve("losses.png"));
        }
        return new Result(gan, history, steps);
    }
}
