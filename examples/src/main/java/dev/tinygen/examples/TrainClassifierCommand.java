package dev.tinygen.examples;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import dev.tinygen.nn.Backend;
import dev.tinygen.vaegan.classifier.ClassifierTrainer;
import dev.tinygen.vaegan.classifier.DigitClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Trains the CNN digit classifier that judges generated digits, and saves it where the GAN commands look for it. */
@Command(name = "train-classifier", mixinStandardHelpOptions = true,
        description = {"Train the CNN digit classifier (the judge of generated digits) on MNIST and save it.",
                "Example: tinygen train-classifier --epochs 2"})
public final class TrainClassifierCommand implements Callable<Integer> {
    @Option(names = "--epochs", defaultValue = "2") int epochs;
    @Option(names = "--batch", defaultValue = "128") int batch;
    @Option(names = "--lr", defaultValue = "1e-3") double lr;
    @Option(names = "--seed", defaultValue = "1") long seed;
    @Option(names = "--data", description = "A folder of your own digit IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-...; plain or .gz); default MNIST.")
    Path data;
    @Option(names = "--train-size", description = "Train on the first N images only (quick runs).") Integer trainSize;
    @Option(names = "--checkpoint", description = "Where to save it (default: ~/.cache/tinygen/models/digit-classifier.safetensors).")
    Path checkpoint;

    @Override
    public Integer call() throws Exception {
        System.out.println(Backend.describe());
        ImageData images = ImageData.load("mnist", data, trainSize);
        Path file = checkpoint != null ? checkpoint : DigitClassifier.defaultPath();
        ClassifierTrainer.Config cfg = new ClassifierTrainer.Config(epochs, batch, lr, seed, Integer.MAX_VALUE);
        ClassifierTrainer.Result r = ClassifierTrainer.train(images.train(), images.test(), cfg, System.out);
        r.model().save(file, Map.of("epochs", String.valueOf(epochs),
                "test_accuracy", String.format(Locale.ROOT, "%.4f", r.finalAccuracy()), "seed", String.valueOf(seed)));
        System.out.println("saved " + file);
        System.out.println(Json.line("model", "digit-classifier", "epochs", epochs, "test_accuracy", r.finalAccuracy(),
                "s_per_epoch", r.secondsPerEpoch(), "checkpoint", file.toString(), "backend", Backend.describe()));
        return 0;
    }
}
