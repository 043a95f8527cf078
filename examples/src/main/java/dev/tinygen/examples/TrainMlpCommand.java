package dev.tinygen.examples;

import java.util.Locale;
import java.util.concurrent.Callable;
import dev.tinygen.nn.Backend;
import dev.tinygen.nn.data.Mnist;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A first network: an MLP (784-128-10) trained on MNIST digits with AdamW. */
@Command(name = "train-mlp", mixinStandardHelpOptions = true,
        description = {"Train a 784-128-10 MLP on MNIST and report test accuracy.", "Example: tinygen train-mlp --epochs 3"})
public final class TrainMlpCommand implements Callable<Integer> {
    @Option(names = "--epochs", defaultValue = "3") int epochs;
    @Option(names = "--batch", defaultValue = "64") int batch;
    @Option(names = "--hidden", defaultValue = "128") int hidden;
    @Option(names = "--lr", defaultValue = "2e-3") double lr;
    @Option(names = "--seed", defaultValue = "1") long seed;
    @Option(names = "--train-size", description = "Train on the first N training images only (quick runs).") Integer trainSize;
    @Option(names = "--test-size", description = "Measure accuracy on the first N test images only (quick runs).") Integer testSize;

    @Override
    public Integer call() throws Exception {
        if (epochs <= 0) throw new IllegalArgumentException("--epochs must be positive, got " + epochs);
        if (batch <= 0) throw new IllegalArgumentException("--batch must be positive, got " + batch);
        if (hidden <= 0) throw new IllegalArgumentException("--hidden must be positive, got " + hidden);
        if (!(lr > 0)) throw new IllegalArgumentException("--lr must be > 0, got " + lr);
        System.out.println(Backend.describe());
        Mnist.fetchIfMissing();
        Mnist.Split train = first(Mnist.train(), trainSize, "--train-size");
        Mnist.Split test = first(Mnist.test(), testSize, "--test-size");
        MlpTrainer.Result r = MlpTrainer.train(train, test, hidden, epochs, batch, lr, seed,
                Integer.MAX_VALUE, System.out);
        System.out.println(Json.line("model", "mlp", "epochs", epochs, "train_images", train.size(), "test_images", test.size(),
                "final_train_loss", r.losses().get(r.losses().size() - 1), "test_accuracy", r.testAccuracy()[epochs - 1],
                "s_per_epoch", r.secondsPerEpoch(), "steps_per_s", r.stepsPerSecond(), "backend", Backend.describe()));
        return 0;
    }

    /** The first {@code n} images of {@code split}; all of them when {@code n} is null. */
    static Mnist.Split first(Mnist.Split split, Integer n, String option) {
        if (n == null) return split;
        if (n < 1 || n > split.size())
            throw new IllegalArgumentException("%s: expected 1..%d, got %d".formatted(option, split.size(), n));
        return new Mnist.Split(TrainVaeCommand.rows(split.images(), 0, n), java.util.Arrays.copyOf(split.labels(), n));
    }
}
