package dev.tinygen.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import dev.tinygen.nn.Backend;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.data.Mnist;
import dev.tinygen.nn.io.Checkpoint;
import dev.tinygen.nn.plot.LinePlot;
import dev.tinygen.vaegan.ImageGrid;
import dev.tinygen.vaegan.Metrics;
import dev.tinygen.vaegan.vae.LatentScatter;
import dev.tinygen.vaegan.vae.Vae;
import dev.tinygen.vaegan.vae.VaeConfig;
import dev.tinygen.vaegan.vae.VaeTrainer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains the reference VAE (784-400-20, summed BCE + KL, Adam 1e-3, batch 128) on MNIST, then writes a grid of
 * samples from {@code N(0, I)}, reconstructions, an interpolation strip, the loss curves, a 2-D latent variant's
 * scatter plot, and scores Fashion-MNIST against MNIST by the negative ELBO.
 */
@Command(name = "train-vae", mixinStandardHelpOptions = true,
        description = {"Train a VAE on MNIST; write samples, interpolation and latent scatter PNGs.",
            "Example: tinygen train-vae --epochs 10 --out runs/vae"})
public final class TrainVaeCommand implements Callable<Integer> {
    @Option(names = "--epochs", defaultValue = "10") int epochs;
    @Option(names = "--batch", defaultValue = "128") int batch;
    @Option(names = "--lr", defaultValue = "1e-3") double lr;
    @Option(names = "--hidden", defaultValue = "400") int hidden;
    @Option(names = "--latent", defaultValue = "20") int latent;
    @Option(names = "--seed", defaultValue = "1") long seed;
    @Option(names = "--dataset", defaultValue = "mnist", description = "mnist | fashion (default: ${DEFAULT-VALUE}).")
    String dataset;
    @Option(names = "--data", description = "A folder of your own IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-...; plain or .gz).")
    Path data;
    @Option(names = "--train-size", description = "Train on the first N images only (quick runs).") Integer trainSize;
    @Option(names = "--latent2-epochs", defaultValue = "5", description = "Epochs of the 2-D latent variant; 0 skips it.")
    int latent2Epochs;
    @Option(names = "--out", description = "Output folder (default: runs/vae-<date-time>).") Path out;

    @Override
    public Integer call() throws Exception {
        System.out.println(Backend.describe());
        VaeConfig config = new VaeConfig(784, hidden, latent);
        ImageData d = ImageData.load(dataset, data, trainSize);
        Path dir = out != null ? out : Path.of("runs", "vae-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        System.out.printf(Locale.ROOT, "data: %s, %,d train / %,d test images; output in %s%n", d.name(),
                d.train().size(), d.test().size(), dir);

        Vae vae = new Vae(config, new Rng(seed));
        VaeTrainer.Result r = VaeTrainer.train(vae, d.train().images(), d.test().images(),
                new VaeTrainer.Options(epochs, batch, lr, seed + 1), System.out);
        Checkpoint.save(dir.resolve("vae.safetensors"), vae, null, Map.of("config", config.toString(), "epochs", String.valueOf(epochs)));

        Rng rng = new Rng(seed + 2);
        ImageGrid.write(vae.sample(64, rng), 8, 8, dir.resolve("samples.png"));
        INDArray originals = rows(d.test().images(), 0, 10);
        INDArray recon = vae.decodeMean(vae.latentMeans(originals));
        ImageGrid.write(Nd4j.vstack(originals, recon), 2, 10, java.util.List.of("test", "decoded"), dir.resolve("reconstructions.png"));
        int a = firstWithLabel(d.test().labels(), 1), b = firstWithLabel(d.test().labels(), 7);
        ImageGrid.writeStrip(vae.interpolate(d.test().images().getRow(a), d.test().images().getRow(b), 10),
                dir.resolve("interpolation.png"));
        double[] xs = new double[epochs];
        for (int i = 0; i < epochs; i++) xs[i] = i + 1;
        new LinePlot("VAE negative ELBO per sample", "epoch", "nats").series("train", xs, r.trainLoss())
                .series("test", xs, r.testLoss()).write(dir.resolve("loss.png"));

        double fashionAuc = Double.NaN;
        if (data == null && dataset.equals("mnist") && Mnist.isFashionAvailable()) {
            // The ELBO as an anomaly score: Fashion-MNIST images are unlike anything the model was trained on.
            INDArray mnistTest = rows(d.test().images(), 0, 2000);
            INDArray fashion = rows(Mnist.fashionTest().images(), 0, 2000);
            double[] sm = vae.negativeElbo(mnistTest, 4, rng), sf = vae.negativeElbo(fashion, 4, rng);
            double[] scores = new double[4000];
            boolean[] positive = new boolean[4000];
            System.arraycopy(sm, 0, scores, 0, 2000);
            System.arraycopy(sf, 0, scores, 2000, 2000);
            for (int i = 2000; i < 4000; i++) positive[i] = true;
            fashionAuc = Metrics.rocAuc(scores, positive);
            System.out.printf(Locale.ROOT, "anomaly score -ELBO: Fashion-MNIST vs MNIST test ROC-AUC %.4f%n", fashionAuc);
        }

        double latent2Test = Double.NaN;
        if (latent2Epochs > 0) {
            System.out.println("2-D latent variant (784-" + hidden + "-2):");
            Vae vae2 = new Vae(new VaeConfig(784, hidden, 2), new Rng(seed + 3));
            VaeTrainer.Result r2 = VaeTrainer.train(vae2, d.train().images(), d.test().images(),
                    new VaeTrainer.Options(latent2Epochs, batch, lr, seed + 4), System.out);
            latent2Test = r2.finalTestLoss();
            int n = Math.min(5000, d.test().size());
            int[] labels = java.util.Arrays.copyOf(d.test().labels(), n);
            LatentScatter.write(vae2.latentMeans(rows(d.test().images(), 0, n)), labels,
                    "2-D VAE: latent means of %d test images by class".formatted(n), dir.resolve("latent2d.png"));
        }

        System.out.println(Json.line("model", "vae", "dataset", d.name(), "epochs", epochs, "s_per_epoch", r.secondsPerEpoch(),
                "train_loss_per_sample", r.finalTrainLoss(), "test_loss_per_sample", r.finalTestLoss(),
                "latent2_test_loss_per_sample", latent2Test, "fashion_vs_mnist_elbo_auc", fashionAuc,
                "out", dir.toString(), "backend", Backend.describe()));
        return 0;
    }

    static INDArray rows(INDArray x, int from, int to) {
        return x.get(NDArrayIndex.interval(from, Math.min(to, (int) x.size(0))), NDArrayIndex.all()).dup('c');
    }

    static int firstWithLabel(int[] labels, int label) {
        for (int i = 0; i < labels.length; i++) if (labels[i] == label) return i;
        throw new IllegalArgumentException("no test image has label " + label);
    }
}
