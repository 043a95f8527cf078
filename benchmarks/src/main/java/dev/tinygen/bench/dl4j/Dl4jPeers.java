package dev.tinygen.bench.dl4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import dev.tinygen.nn.Backend;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.data.Mnist;
import dev.tinygen.vaegan.Metrics;
import dev.tinygen.vaegan.ae.AutoencoderConfig;
import dev.tinygen.vaegan.vae.VaeConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Trains a DL4J peer on MNIST and prints one JSON line, the counterpart of {@code ./tinygen train-ae} (the plain
 * autoencoder) and {@code ./tinygen train-vae}:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.tinygen.bench.dl4j.Dl4jPeers --model ae|vae [--epochs 1]
 *      [--mnist DIR] [--train-size N] [--batch 128] [--lr 1e-3] [--seed 1]
 * {"peer":"dl4j","model":"vae","epochs":1,"s_per_epoch":..,"train_loss_per_sample":..,"test_loss_per_sample":..}
 * </pre>
 *
 * {@code s_per_epoch} times the training steps only (batching included, evaluation not), as tinygen's trainers do.
 * {@code train_loss_per_sample} is DL4J's own score of each step's batch, weighted by batch size and averaged over
 * the last epoch; {@code test_loss_per_sample} is computed from the logits in tinygen's units (see the package notes),
 * for the VAE with one draw of {@code z} per test image. The autoencoder also reports the test PSNR, the figure
 * {@code ./tinygen train-ae} prints.
 */
public final class Dl4jPeers {
    private Dl4jPeers() {}

    /** The command line, checked. */
    record Args(String model, int epochs, Path mnist, Integer trainSize, int batch, double lr, long seed) {
        Args {
            if (!model.equals("ae") && !model.equals("vae"))
                throw new IllegalArgumentException("--model: expected ae or vae, got '" + model + "'");
            if (epochs < 1) throw new IllegalArgumentException("--epochs: expected >= 1, got " + epochs);
            if (trainSize != null && trainSize < 1) throw new IllegalArgumentException("--train-size: expected >= 1, got " + trainSize);
            if (batch < 1) throw new IllegalArgumentException("--batch: expected >= 1, got " + batch);
            if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("--lr: expected a finite value > 0, got " + lr);
        }

        static Args parse(String... a) {
            String model = null;
            int epochs = 1, batch = 128;
            Path mnist = Mnist.directory();
            Integer trainSize = null;
            double lr = 1e-3;
            long seed = 1;
            for (int i = 0; i < a.length; i++) {
                String flag = a[i];
                if (i + 1 >= a.length) throw new IllegalArgumentException(flag + " needs a value");
                String v = a[++i];
                try {
                    switch (flag) {
                        case "--model" -> model = v;
                        case "--epochs" -> epochs = Integer.parseInt(v);
                        case "--mnist" -> mnist = Path.of(v);
                        case "--train-size" -> trainSize = Integer.parseInt(v);
                        case "--batch" -> batch = Integer.parseInt(v);
                        case "--lr" -> lr = Double.parseDouble(v);
                        case "--seed" -> seed = Long.parseLong(v);
                        default -> throw new IllegalArgumentException("unknown option '" + flag
                                + "'; expected --model, --epochs, --mnist, --train-size, --batch, --lr, --seed");
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(flag + ": '" + v + "' is not a number");
                }
            }
            if (model == null) throw new IllegalArgumentException("--model is required: ae or vae");
            return new Args(model, epochs, mnist, trainSize, batch, lr, seed);
        }
    }

    /** What a training run measured. */
    record Result(double secondsPerEpoch, double trainLossPerSample, double testLossPerSample, double testPsnrDb) {}

    /** The training half of a peer: one Adam step on a batch, returning DL4J's score of it per image. */
    interface Steps {
        double fit(INDArray batch);
    }

    /** Bad arguments and missing data end with one line on stderr and exit code 2, as the {@code tinygen} commands do. */
    public static void main(String[] argv) {
        try {
            Args a = Args.parse(argv);
            System.out.println(Backend.describe());
            INDArray train = Mnist.load(a.mnist(), "train").images();
            INDArray test = Mnist.load(a.mnist(), "t10k").images();
            if (a.trainSize() != null) {
                if (a.trainSize() > train.size(0))
                    throw new IllegalArgumentException("--train-size: expected 1..%d, got %d".formatted(train.size(0), a.trainSize()));
                train = train.get(NDArrayIndex.interval(0, a.trainSize()), NDArrayIndex.all()).dup('c');
            }
            System.out.printf(Locale.ROOT, "dl4j %s: %,d train / %,d test images, %d epochs, batch %d, Adam %s%n", a.model(),
                    train.size(0), test.size(0), a.epochs(), a.batch(), a.lr());
            Result r = run(a, train, test);
            System.out.println(json(a, (int) train.size(0), r));
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("Dl4jPeers: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Trains the chosen peer and evaluates it on {@code test}. */
    static Result run(Args a, INDArray train, INDArray test) {
        Rng rng = new Rng(a.seed() + 1);
        if (a.model().equals("ae")) {
            Dl4jAutoencoder ae = new Dl4jAutoencoder(AutoencoderConfig.mnist(32), a.lr(), a.seed());
            double[] t = train(ae::fit, train, a.epochs(), a.batch(), rng);
            return new Result(t[0], t[1], ae.lossPerImage(test), Metrics.psnr(test, ae.reconstruct(test), 1.0));
        }
        Dl4jVae vae = new Dl4jVae(VaeConfig.reference(), a.lr(), a.seed());
        double[] t = train(vae::fit, train, a.epochs(), a.batch(), rng);
        return new Result(t[0], t[1], vae.lossPerImage(test, rng.fork()), Double.NaN);
    }

    /**
     * Shuffled batches of {@code images} for {@code epochs} epochs; prints a line per epoch and returns
     * {seconds per epoch, last epoch's mean score per image}.
     */
    static double[] train(Steps model, INDArray images, int epochs, int batch, Rng rng) {
        int n = (int) images.size(0);
        double seconds = 0, last = Double.NaN;
        for (int e = 0; e < epochs; e++) {
            long t0 = System.nanoTime();
            int[] order = rng.permutation(n);
            double sum = 0;
            for (int from = 0; from < n; from += batch) {
                int[] rows = Arrays.copyOfRange(order, from, Math.min(n, from + batch));
                INDArray x = Nd4j.pullRows(images, 1, rows);                                 // (B, D)
                sum += model.fit(x) * rows.length;
            }
            double s = (System.nanoTime() - t0) / 1e9;
            seconds += s;
            last = sum / n;
            System.out.printf(Locale.ROOT, "epoch %d: train %.2f per image (DL4J's score), %.2f s%n", e + 1, last, s);
        }
        return new double[] {seconds / epochs, last};
    }

    static String json(Args a, int trainSize, Result r) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "{\"peer\":\"dl4j\",\"model\":\"%s\",\"epochs\":%d,\"train_size\":%d,\"batch\":%d,\"s_per_epoch\":%.4f,"
                        + "\"train_loss_per_sample\":%.4f,\"test_loss_per_sample\":%.4f",
                a.model(), a.epochs(), trainSize, a.batch(), r.secondsPerEpoch(), r.trainLossPerSample(), r.testLossPerSample()));
        if (!Double.isNaN(r.testPsnrDb())) s.append(String.format(Locale.ROOT, ",\"test_psnr_db\":%.4f", r.testPsnrDb()));
        s.append(",\"backend\":\"").append(Backend.describe().replace("\"", "'")).append("\"}");
        return s.toString();
    }
}
