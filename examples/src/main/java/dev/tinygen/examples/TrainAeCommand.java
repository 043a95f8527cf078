package dev.tinygen.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import dev.tinygen.examples.demo.Csv;
import dev.tinygen.nn.Backend;
import dev.tinygen.nn.Rng;
import dev.tinygen.vaegan.ImageGrid;
import dev.tinygen.vaegan.Metrics;
import dev.tinygen.vaegan.ae.AnomalyDetector;
import dev.tinygen.vaegan.ae.Autoencoder;
import dev.tinygen.vaegan.ae.AutoencoderConfig;
import dev.tinygen.vaegan.ae.AutoencoderTrainer;
import dev.tinygen.vaegan.ae.DenoisingAutoencoder;
import dev.tinygen.vaegan.ae.Noise;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Dense autoencoders on MNIST: a plain one (compression ratio, reconstruction PSNR), denoising ones for Gaussian and
 * salt-and-pepper noise (PSNR of noisy and denoised images against the clean ones), and anomaly detection with each
 * digit held out in turn (ROC curve and ROC-AUC of the held-out digit against the others by reconstruction error,
 * roc.png and anomaly.csv).
 */
@Command(name = "train-ae", mixinStandardHelpOptions = true,
        description = {"Train autoencoders on MNIST: reconstruction, denoising, anomaly detection.",
            "Example: tinygen train-ae --epochs 5 --out runs/ae"})
public final class TrainAeCommand implements Callable<Integer> {
    @Option(names = "--epochs", defaultValue = "5", description = "Epochs of the plain and denoising autoencoders.") int epochs;
    @Option(names = "--anomaly-epochs", defaultValue = "3", description = "Epochs of each held-out-digit autoencoder; 0 skips anomaly detection.")
    int anomalyEpochs;
    @Option(names = "--batch", defaultValue = "128") int batch;
    @Option(names = "--lr", defaultValue = "1e-3") double lr;
    @Option(names = "--hidden", defaultValue = "256") int hidden;
    @Option(names = "--code", defaultValue = "32", description = "Code (bottleneck) size.") int code;
    @Option(names = "--noise", split = ",", defaultValue = "gaussian:0.5,salt-pepper:0.3",
            description = "Noises for the denoising runs, gaussian:STD or salt-pepper:FRACTION (default: ${DEFAULT-VALUE}).")
    List<String> noises;
    @Option(names = "--held-out", split = ",", defaultValue = "0,1,2,3,4,5,6,7,8,9",
            description = "Digits to hold out in turn for anomaly detection (default: all ten).") List<Integer> heldOut;
    @Option(names = "--seed", defaultValue = "1") long seed;
    @Option(names = "--dataset", defaultValue = "mnist", description = "mnist | fashion (default: ${DEFAULT-VALUE}).") String dataset;
    @Option(names = "--data", description = "A folder of your own IDX files (train-*, t10k-*; plain or .gz).") Path data;
    @Option(names = "--train-size", description = "Train on the first N images only (quick runs).") Integer trainSize;
    @Option(names = "--out", description = "Output folder (default: runs/ae-<date-time>).") Path out;

    @Override
    public Integer call() throws Exception {
        for (int digit : heldOut)
            if (digit < 0 || digit > 9) throw new IllegalArgumentException("--held-out: digits are 0..9, got " + digit);
        System.out.println(Backend.describe());
        List<Noise> noiseList = new ArrayList<>();
        for (String n : noises) noiseList.add(Noise.parse(n));
        AutoencoderConfig config = new AutoencoderConfig(784, hidden, code);
        ImageData d = ImageData.load(dataset, data, trainSize);
        Path dir = out != null ? out : Path.of("runs", "ae-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        System.out.printf(Locale.ROOT, "data: %s, %,d train / %,d test images; autoencoder 784-%d-%d-%d-784, compression ratio %.1f; output in %s%n",
                d.name(), d.train().size(), d.test().size(), hidden, code, hidden, config.compressionRatio(), dir);
        AutoencoderTrainer.Options o = new AutoencoderTrainer.Options(epochs, batch, lr, seed + 1);
        INDArray test = d.test().images();
        INDArray shown = TrainVaeCommand.rows(test, 0, 10);

        System.out.println("plain autoencoder:");
        Autoencoder ae = new Autoencoder(config, new Rng(seed));
        AutoencoderTrainer.Result r = AutoencoderTrainer.train(ae, d.train().images(), null, o, System.out);
        double reconPsnr = Metrics.psnr(test, ae.reconstruct(test), 1.0);
        System.out.printf(Locale.ROOT, "test reconstruction PSNR %.2f dB%n", reconPsnr);
        ImageGrid.write(Nd4j.vstack(shown, ae.reconstruct(shown)), 2, 10, List.of("test", "decoded"), dir.resolve("reconstructions.png"));

        List<Object> json = new ArrayList<>(List.of("model", "autoencoder", "dataset", d.name(), "code", code,
                "compression_ratio", config.compressionRatio(), "epochs", epochs, "s_per_epoch", r.secondsPerEpoch(),
                "train_loss_per_image", r.finalLoss(), "test_psnr_db", reconPsnr));
        for (Noise noise : noiseList) {
            System.out.println("denoising autoencoder, " + noise.name() + ":");
            DenoisingAutoencoder dae = new DenoisingAutoencoder(config, noise, new Rng(seed));
            dae.train(d.train().images(), o, System.out);
            DenoisingAutoencoder.Evaluation e = dae.evaluate(test, new Rng(seed + 5));
            System.out.printf(Locale.ROOT, "PSNR against clean test images: noisy %.2f dB, denoised %.2f dB, gain %.2f dB%n",
                    e.psnrNoisy(), e.psnrDenoised(), e.gain());
            INDArray noisy = dae.corrupt(shown, new Rng(seed + 6));
            ImageGrid.write(Nd4j.vstack(shown, noisy, dae.denoise(noisy)), 3, 10, List.of("clean", "noisy", "denoised"),
                    dir.resolve("denoise-" + noise.name() + ".png"));
            String key = noise instanceof Noise.Gaussian ? "gaussian" : "salt_pepper";
            json.addAll(List.of(key + "_psnr_noisy_db", e.psnrNoisy(), key + "_psnr_denoised_db", e.psnrDenoised()));
        }

        if (anomalyEpochs > 0) {
            AutoencoderTrainer.Options ao = new AutoencoderTrainer.Options(anomalyEpochs, batch, lr, seed + 2);
            StringBuilder aucs = new StringBuilder();
            Csv table = new Csv("held_out_digit", "roc_auc", "mean_error_normal", "mean_error_held_out");
            List<RocFigure.Panel> panels = new ArrayList<>();
            double best = 0;
            int bestDigit = -1;
            for (int digit : heldOut) {
                HeldOutScores h = heldOutScores(digit, d, config, ao);
                Metrics.Roc roc = Metrics.rocCurve(h.scores(), h.heldOut());
                double auc = Metrics.rocAuc(h.scores(), h.heldOut());
                System.out.printf(Locale.ROOT, "held out %d: ROC-AUC %.4f (mean error normal %.4f, held-out %.4f)%n",
                        digit, auc, h.meanNormal(), h.meanHeldOut());
                aucs.append(aucs.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", auc));
                table.row(digit, auc, h.meanNormal(), h.meanHeldOut());
                panels.add(new RocFigure.Panel(RocFigure.title("held out " + digit, roc), roc));
                if (auc > best) {
                    best = auc;
                    bestDigit = digit;
                }
            }
            table.write(dir.resolve("anomaly.csv"));
            RocFigure.write(panels, dir.resolve("roc.png"));
            System.out.println("ROC curves of the reconstruction error as anomaly score: " + dir.resolve("roc.png"));
            json.addAll(List.of("anomaly_epochs", anomalyEpochs, "anomaly_auc_by_held_out_digit", aucs.toString(),
                    "anomaly_best_digit", bestDigit, "anomaly_best_auc", best));
        }
        json.addAll(List.of("out", dir.toString(), "backend", Backend.describe()));
        System.out.println(Json.line(json.toArray()));
        return 0;
    }

    /** Reconstruction errors of every test image and which of them show the held-out digit. */
    record HeldOutScores(double[] scores, boolean[] heldOut, double meanNormal, double meanHeldOut) {}

    /**
     * Trains an autoencoder on the training images of every digit but {@code digit} (seeded as
     * {@link AnomalyDetector#heldOutClass} does, so the figures agree with it) and scores all test images.
     */
    static HeldOutScores heldOutScores(int digit, ImageData d, AutoencoderConfig config, AutoencoderTrainer.Options o) {
        int[] labels = d.train().labels();
        int[] keep = java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] != digit).toArray();
        if (keep.length == 0) throw new IllegalArgumentException("--held-out " + digit + ": every training image shows it; nothing is normal");
        Autoencoder ae = new Autoencoder(config, new Rng(o.seed() * 31 + digit));
        AutoencoderTrainer.train(ae, d.train().images().getRows(keep), null, o, null);                // (N', 784)
        double[] s = new AnomalyDetector(ae).scores(d.test().images());
        boolean[] positive = new boolean[s.length];
        double sumPos = 0, sumNeg = 0;
        int nPos = 0;
        for (int i = 0; i < s.length; i++) {
            positive[i] = d.test().labels()[i] == digit;
            if (positive[i]) {
                sumPos += s[i];
                nPos++;
            } else {
                sumNeg += s[i];
            }
        }
        if (nPos == 0) throw new IllegalArgumentException("--held-out " + digit + ": no test image shows it");
        return new HeldOutScores(s, positive, sumNeg / (s.length - nPos), sumPos / nPos);
    }
}
