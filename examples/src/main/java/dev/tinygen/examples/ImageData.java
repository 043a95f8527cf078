package dev.tinygen.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.tinygen.nn.data.Mnist;

/**
 * The train and test splits an image command works on: MNIST (fetched on first use), Fashion-MNIST, or a folder of
 * the user's own IDX files, optionally cut to the first N training images for a quick run.
 *
 * <p>Shape: images (N, 784) float32 in [0, 1], labels int[N].
 */
record ImageData(String name, Mnist.Split train, Mnist.Split test) {
    /** {@code dataset} is mnist or fashion; {@code dir}, when given, wins; {@code trainSize} may be null for all. */
    static ImageData load(String dataset, Path dir, Integer trainSize) throws IOException {
        ImageData d;
        if (dir != null) {
            if (!Files.isDirectory(dir)) throw new IOException("--data " + dir + " is not a folder");
            d = new ImageData(dir.toString(), Mnist.load(dir, "train"), Mnist.load(dir, "t10k"));
        } else if (dataset.equals("mnist")) {
            Mnist.fetchIfMissing();
            d = new ImageData("mnist", Mnist.train(), Mnist.test());
        } else if (dataset.equals("fashion")) {
            d = new ImageData("fashion-mnist", Mnist.fashionTrain(), Mnist.fashionTest());
        } else {
            throw new IllegalArgumentException("--dataset: expected mnist or fashion, got '" + dataset + "'");
        }
        if (trainSize == null) return d;
        if (trainSize <= 0 || trainSize > d.train().size())
            throw new IllegalArgumentException("--train-size: expected 1..%d, got %d".formatted(d.train().size(), trainSize));
        return new ImageData(d.name(), d.train().first(trainSize), d.test());
    }
}
