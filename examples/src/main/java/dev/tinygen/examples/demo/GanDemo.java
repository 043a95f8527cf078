package dev.tinygen.examples.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import dev.tinygen.nn.Backend;
import dev.tinygen.nn.data.Mnist;
import dev.tinygen.nn.plot.LinePlot;
import dev.tinygen.vaegan.gan.Gan;
import dev.tinygen.vaegan.gan.GanConfig;
import dev.tinygen.vaegan.gan.GanTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A GAN learning to draw digits, watched epoch by epoch: a short run of the MLP GAN ({@link GanConfig#mlp}) on a
 * subset of MNIST. After every epoch the generator draws from the same fixed noise, so the rows of the progress
 * strip differ only by what training changed: blobs first, then strokes, then digits. The loss curves show the
 * two-player game: neither loss falls to zero while the players stay matched.
 */
@Command(name = "demo-gan", mixinStandardHelpOptions = true,
        description = {"A short MLP-GAN run on an MNIST subset: fixed-noise samples after every epoch, one row each, and the D/G losses.",
            "Writes progress.png (one row per epoch), losses.png (per epoch), losses_per_step.png, losses.csv and epoch-NN.png grids.",
            "Example: tinygen demo-gan --epochs 8 --train-size 10000"})
public final class GanDemo implements Callable<Integer> {
    @Option(names = "--epochs", defaultValue = "8", description = "Epochs, one strip row each (default: ${DEFAULT-VALUE}).") int epochs;
    @Option(names = "--train-size", defaultValue = "6400", description = "MNIST training images used (default: ${DEFAULT-VALUE}).") int trainSize;
    @Option(names = "--batch", defaultValue = "64") int batch;
    @Option(names = "--lr", defaultValue = "2e-4", description = "Adam's learning rate for both networks (default: ${DEFAULT-VALUE}).") double lr;
    @Option(names = "--seed", defaultValue = "1") long seed;
    @Option(names = "--out", description = "Output folder (default: runs/demo-gan-<date-time>).") Path out;

    @Override
    public Integer call() throws Exception {
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        if (batch < 2) throw new IllegalArgumentException("--batch must be >= 2 (batch norm needs a batch), got " + batch);
        if (trainSize < batch)
            throw new IllegalArgumentException("--train-size %d is less than one batch of %d".formatted(trainSize, batch));
        GanConfig cfg = new GanConfig(GanConfig.Architecture.MLP, 100, 0, batch, lr, 0.5, 0.2, 0.999, seed);
        System.out.println(Backend.describe());
        Mnist.fetchIfMissing();
        Mnist.Split all = Mnist.train();
        if (trainSize > all.size())
            throw new IllegalArgumentException("--train-size: expected 1..%d, got %d".formatted(all.size(), trainSize));
        int[] first = new int[trainSize];
        for (int i = 0; i < trainSize; i++) first[i] = i;
        Mnist.Split train = new Mnist.Split(all.images().getRows(first), Arrays.copyOf(all.labels(), trainSize));   // (N, 784)
        Path dir = out != null ? out
                : Path.of("runs", "demo-gan-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);

        Gan gan = new Gan(cfg);
        System.out.printf(Locale.ROOT, "MLP GAN: generator %,d parameters, discriminator %,d; %,d images, batch %d, %d steps per epoch%n",
                gan.generator().parameterCount(), gan.discriminator().parameterCount(), trainSize, batch, trainSize / batch);
        GanTrainer.Result r = GanTrainer.train(gan, train, epochs, Integer.MAX_VALUE, dir, System.out);

        List<Gan.Losses> steps = r.steps();
        double[] x = new double[steps.size()], d = new double[steps.size()], g = new double[steps.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
            d[i] = steps.get(i).discriminator();
            g[i] = steps.get(i).generator();
        }
        new LinePlot("GAN losses per step (discriminator: real vs fake; generator: fooling it)", "step", "BCE")
                .series("discriminator", x, d).series("generator", x, g).write(dir.resolve("losses_per_step.png"));
        Csv csv = new Csv("epoch", "d_loss", "g_loss", "seconds");
        for (GanTrainer.Epoch e : r.epochs()) csv.row(e.epoch(), e.discriminatorLoss(), e.generatorLoss(), e.seconds());
        csv.write(dir.resolve("losses.csv"));
        GanTrainer.Epoch last = r.epochs().get(r.epochs().size() - 1);
        System.out.println("progress strip (row i = epoch i, same noise every row): " + dir.resolve("progress.png"));
        System.out.println(new Figures().put("demo", "gan").put("epochs", r.epochs().size()).put("steps", steps.size())
                .put("train_size", trainSize).put("d_loss", last.discriminatorLoss()).put("g_loss", last.generatorLoss())
                .put("first_epoch_d_loss", r.epochs().get(0).discriminatorLoss())
                .put("s_per_epoch", r.secondsPerEpoch()).put("generator_params", gan.generator().parameterCount())
                .put("discriminator_params", gan.discriminator().parameterCount()).put("out", dir.toString()).toJson());
        return 0;
    }
}
