package dev.tinygen.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import dev.tinygen.nn.Backend;
import dev.tinygen.nn.data.Mnist;
import dev.tinygen.vaegan.classifier.DigitClassifier;
import dev.tinygen.vaegan.gan.Gan;
import dev.tinygen.vaegan.gan.GanConfig;
import dev.tinygen.vaegan.gan.GanMetrics;
import dev.tinygen.vaegan.gan.GanTrainer;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains a GAN on MNIST (dense or convolutional, optionally conditioned on the digit), writes a sample grid per
 * epoch, a progress strip and a loss plot, saves the networks, and judges samples with the digit classifier.
 */
@Command(name = "train-gan", mixinStandardHelpOptions = true,
        description = {"Train a GAN on MNIST digits and measure its samples with the digit classifier.",
                "Example: tinygen train-gan --out runs/gan   (50 epochs, about 25 s each on 2 cores)",
                "         tinygen train-gan --conditional --epochs 30 --out runs/cgan   (then: tinygen draw --digit 7 --run runs/cgan)"})
public final class TrainGanCommand implements Callable<Integer> {
    @Option(names = "--arch", defaultValue = "mlp", description = "mlp or dcgan (default ${DEFAULT-VALUE}).") String arch;
    @Option(names = "--conditional", description = "Condition both networks on the digit label.") boolean conditional;
    @Option(names = "--epochs", defaultValue = "50", description = "Epochs to train (default ${DEFAULT-VALUE}: the MLP GAN passes 0.8 of samples classified with confidence >= 0.9 there, at 0.785 after 30); 0 re-measures the run saved in --out.") int epochs;
    @Option(names = "--batch", defaultValue = "64") int batch;
    @Option(names = "--lr", defaultValue = "2e-4") double lr;
    @Option(names = "--beta1", defaultValue = "0.5") double beta1;
    @Option(names = "--noise", defaultValue = "100") int noise;
    @Option(names = "--ema", defaultValue = "0.999",
            description = "Decay of the generator weight average that draws the samples; 0 samples from the trained generator (default ${DEFAULT-VALUE}).")
    double emaDecay;
    @Option(names = "--seed", defaultValue = "1") long seed;
    @Option(names = "--samples", defaultValue = "10000", description = "Generated images the metrics are computed on.") int samples;
    @Option(names = "--data", description = "A folder of your own digit IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-...; plain or .gz); default MNIST.")
    Path data;
    @Option(names = "--train-size", description = "Train on the first N images only (quick runs).") Integer trainSize;
    @Option(names = "--out", defaultValue = "runs/gan", description = "Folder for PNGs and gan.safetensors.") Path out;
    @Option(names = "--classifier", description = "Digit classifier checkpoint (default: ~/.cache/tinygen/models/digit-classifier.safetensors).")
    Path classifierFile;

    @Override
    public Integer call() throws Exception {
        System.out.println(Backend.describe());
        GanConfig.Architecture a = switch (arch.toLowerCase(Locale.ROOT)) {
            case "mlp" -> GanConfig.Architecture.MLP;
            case "dcgan" -> GanConfig.Architecture.DCGAN;
            default -> throw new IllegalArgumentException("--arch: expected mlp or dcgan, got '" + arch + "'");
        };
        if (samples < 2) throw new IllegalArgumentException("--samples: need at least 2, got " + samples);
        Path clfFile = classifierFile != null ? classifierFile : DigitClassifier.defaultPath();
        if (!Files.isRegularFile(clfFile))
            System.out.println("no digit classifier at " + clfFile + ": samples will not be measured"
                    + " (make it with `tinygen train-classifier`, then re-measure with `tinygen train-gan --epochs 0 --out " + out + "`)");
        ImageData images = ImageData.load("mnist", data, trainSize);
        Mnist.Split test = images.test();
        Path ckpt = out.resolve("gan.safetensors");
        Gan gan;
        int epochsRun;
        double secondsPerEpoch = Double.NaN, dLoss = Double.NaN, gLoss = Double.NaN;
        if (epochs == 0) {
            gan = Gan.load(ckpt);
            epochsRun = Integer.parseInt(dev.tinygen.nn.io.Checkpoint.readMetadata(ckpt).getOrDefault("epochs", "0"));
            conditional = gan.config().isConditional();
            a = gan.config().architecture();
            System.out.println("measuring the saved run " + ckpt);
        } else {
            if (epochs < 0) throw new IllegalArgumentException("--epochs: expected >= 0 (0 re-measures a saved run), got " + epochs);
            GanConfig cfg = new GanConfig(a, noise, conditional ? 10 : 0, batch, lr, beta1, 0.2, emaDecay, seed);
            gan = new Gan(cfg);
            System.out.printf(Locale.ROOT, "%s GAN%s: generator %,d parameters, discriminator %,d%n", a,
                    conditional ? " (conditional)" : "", gan.generator().parameterCount(), gan.discriminator().parameterCount());
            Files.createDirectories(out);
            GanTrainer.Result r = GanTrainer.train(gan, images.train(), epochs, Integer.MAX_VALUE, out, System.out);
            gan.save(ckpt, Map.of("epochs", String.valueOf(r.epochs().size())));
            epochsRun = r.epochs().size();
            secondsPerEpoch = r.secondsPerEpoch();
            GanTrainer.Epoch last = r.epochs().get(r.epochs().size() - 1);
            dLoss = last.discriminatorLoss();
            gLoss = last.generatorLoss();
        }
        String model = (conditional ? "cgan-" : "gan-") + a.name().toLowerCase(Locale.ROOT);
        if (!Files.isRegularFile(clfFile)) {
            System.out.println(Json.line("model", model, "epochs", epochsRun, "s_per_epoch", secondsPerEpoch, "d_loss", dLoss,
                    "g_loss", gLoss, "checkpoint", ckpt.toString(), "backend", Backend.describe()));
            return 0;
        }
        DigitClassifier classifier = DigitClassifier.load(clfFile);
        int[] requested = null;
        if (conditional) {
            requested = new int[samples];
            for (int i = 0; i < samples; i++) requested[i] = i % 10;
        }
        INDArray generated = gan.sample(samples, requested);
        GanMetrics.Report m = GanMetrics.evaluate(classifier, generated, test.images(), requested);
        System.out.println("metrics on " + samples + " samples: " + m);
        // The trained generator's own samples, for comparison with its weight average's.
        GanMetrics.Report raw = gan.sampler() == gan.generator() ? m
                : GanMetrics.evaluate(classifier, gan.sample(gan.generator(), samples, requested), test.images(), requested);
        if (raw != m) System.out.println("the trained generator itself (no average): " + raw);
        System.out.println(Json.line("model", model, "epochs", epochsRun, "s_per_epoch", secondsPerEpoch,
                "d_loss", dLoss, "g_loss", gLoss, "ema_decay", gan.config().emaDecay(),
                "samples", samples, "confident_fraction", m.confidentFraction(), "classes_present", m.classesPresent(),
                "agreement", m.agreement(), "frechet", m.frechet(),
                "raw_confident_fraction", raw.confidentFraction(), "raw_classes_present", raw.classesPresent(),
                "raw_agreement", raw.agreement(), "raw_frechet", raw.frechet(), "checkpoint", ckpt.toString(),
                "backend", Backend.describe()));
        return 0;
    }
}
