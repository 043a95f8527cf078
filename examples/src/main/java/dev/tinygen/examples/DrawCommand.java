package dev.tinygen.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import dev.tinygen.nn.Backend;
import dev.tinygen.nn.Rng;
import dev.tinygen.vaegan.classifier.DigitClassifier;
import dev.tinygen.vaegan.ImageGrid;
import dev.tinygen.vaegan.gan.Gan;
import dev.tinygen.vaegan.gan.GanMetrics;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** "Prompt -> image": asks a conditional GAN for one digit and writes a grid of what it draws. */
@Command(name = "draw", mixinStandardHelpOptions = true,
        description = {"Draw a digit with a conditional GAN trained by train-gan --conditional.",
                "Example: tinygen draw --digit 7 --run runs/cgan"})
public final class DrawCommand implements Callable<Integer> {
    @Option(names = "--digit", required = true, description = "The digit to draw, 0-9.") int digit;
    @Option(names = "--count", defaultValue = "64") int count;
    @Option(names = "--cols", defaultValue = "8") int cols;
    @Option(names = "--seed", defaultValue = "1") long seed;
    @Option(names = "--run", defaultValue = "runs/cgan", description = "Folder holding gan.safetensors.") Path run;
    @Option(names = "--out", description = "Folder for the PNG (default: the run folder).") Path out;
    @Option(names = "--classifier", description = "Digit classifier checkpoint, to check the drawings (default: ~/.cache/tinygen/models/digit-classifier.safetensors).")
    Path classifierFile;

    @Override
    public Integer call() throws Exception {
        System.out.println(Backend.describe());
        if (count < 1) throw new IllegalArgumentException("--count: need at least 1 image, got " + count);
        if (cols < 1) throw new IllegalArgumentException("--cols: need at least 1 column, got " + cols);
        Gan gan = Gan.load(run.resolve("gan.safetensors"));
        int classes = gan.config().classes();
        if (classes == 0)
            throw new IllegalArgumentException(run + " holds an unconditional GAN; train one with `tinygen train-gan --conditional --out " + run + "`");
        if (digit < 0 || digit >= classes)
            throw new IllegalArgumentException("--digit: expected 0 to %d, got %d".formatted(classes - 1, digit));
        int[] labels = new int[count];
        Arrays.fill(labels, digit);
        INDArray z = new Rng(seed).normal(DataType.FLOAT, 1.0, count, gan.config().noiseDim());
        INDArray images = gan.generate(z, labels);
        Path dir = out != null ? out : run;
        Files.createDirectories(dir);
        Path png = dir.resolve("digit-" + digit + ".png");
        ImageGrid.write(images, (count + cols - 1) / cols, cols, png);
        System.out.println("wrote " + png);
        double agreement = Double.NaN;
        Path clf = classifierFile != null ? classifierFile : DigitClassifier.defaultPath();
        if (Files.isRegularFile(clf)) {
            int[] pred = DigitClassifier.load(clf).predict(images);
            agreement = Arrays.stream(pred).filter(p -> p == digit).count() / (double) count;
            System.out.printf(Locale.ROOT, "the classifier reads %.1f%% of them as %d%n", 100 * agreement, digit);
        } else {
            System.out.println("no classifier at " + clf + " (tinygen train-classifier makes one); agreement not measured");
        }
        System.out.println(Json.line("model", "draw", "digit", digit, "count", count, "agreement", agreement,
                "png", png.toString(), "backend", Backend.describe()));
        return 0;
    }
}
