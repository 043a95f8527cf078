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

    @Override
    public Integer call() throws Exception {
        if (epochs <= 0) throw new IllegalArgumentException("--epochs must be positive, got " + epochs);
        if (batch <= 0) throw new IllegalArgumentException("--batch must be positive, got " + batch);
        if (hidden <= 0) throw new IllegalArgumentException("--hidden must be positive, got " + hidden);
        if (!(lr > 0)) throw new IllegalArgumentException("--lr must be > 0, got " + lr);
        System.out.println(Backend.describe());
        Mnist.fetchIfMissing();
        MlpTrainer.Result r = MlpTrainer.train(Mnist.train(), Mnist.test(), hidden, epochs, batch, lr, seed,
                Integer.MAX_VALUE, System.out);
        System.out.println(Json.line("model", "mlp", "epochs", epochs, "test_accuracy", r.testAccuracy()[epochs - 1],
                "s_per_epoch", r.secondsPerEpoch(), "steps_per_s", r.stepsPerSecond(), "backend", Backend.describe()));
        return 0;
    }
}
