package dev.tinygen.vaegan.classifier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import dev.tinygen.nn.Module;
import dev.tinygen.nn.NoGrad;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.Workspaces;
import dev.tinygen.nn.io.Checkpoint;
import dev.tinygen.nn.layers.Conv2d;
import dev.tinygen.nn.layers.Linear;
import dev.tinygen.nn.ops.Relu;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A small CNN that reads MNIST digits: three 3x3 convolutions (the last two with stride 2), a 128-wide dense layer
 * whose output is the feature vector a Frechet distance is measured on, and a 10-way head.
 *
 * <pre>
 *   x (B, 1, 28, 28) -> conv1 1->32 k3 p1, ReLU  (B, 32, 28, 28)
 *                    -> conv2 32->64 k3 s2 p1, ReLU (B, 64, 14, 14)
 *                    -> conv3 64->64 k3 s2 p1, ReLU (B, 64, 7, 7)
 *                    -> flatten (B, 3136) -> fc1 (B, 128) = features -> ReLU -> fc2 (B, 10) logits
 * </pre>
 *
 * <p>Shape: images (B, 784) or (B, 1, 28, 28) with pixels in [0, 1] -> logits (B, 10); features (B, 128).
 */
public final class DigitClassifier extends Module {
    /** Width of the penultimate layer, the feature space of the Frechet distance. */
    public static final int FEATURES = 128;
    public static final int CLASSES = 10;
    private static final int SIDE = 28;
    /** Rows per forward pass when scoring many images: large enough for good gemms, small enough for memory. */
    private static final int CHUNK = 500;

    private final Conv2d conv1;
    private final Conv2d conv2;
    private final Conv2d conv3;
    private final Linear fc1;
    private final Linear fc2;

    public DigitClassifier(Rng rng) {
        conv1 = register("conv1", new Conv2d(1, 32, 3, 1, 1, rng));
        conv2 = register("conv2", new Conv2d(32, 64, 3, 2, 1, rng));
        conv3 = register("conv3", new Conv2d(64, 64, 3, 2, 1, rng));
        fc1 = register("fc1", new Linear(64 * 7 * 7, FEATURES, rng));
        fc2 = register("fc2", new Linear(FEATURES, CLASSES, rng));
    }

    /** The default checkpoint: {@code ~/.cache/tinygen/models/digit-classifier.safetensors}. */
    public static Path defaultPath() {
        return Path.of(System.getProperty("user.home"), ".cache", "tinygen", "models", "digit-classifier.safetensors");
    }

    /** Logits for a batch of images. */
    @Override
    public Tensor forward(Tensor x) {
        return fc2.forward(Relu.apply(features(x)));                                       // (B, 10)
    }

    /** The penultimate layer's output (before its ReLU). */
    public Tensor features(Tensor x) {
        Tensor img = asImages(x);                                                          // (B, 1, 28, 28)
        Tensor h = Relu.apply(conv1.forward(img));                                         // (B, 32, 28, 28)
        h = Relu.apply(conv2.forward(h));                                                  // (B, 64, 14, 14)
        h = Relu.apply(conv3.forward(h));                                                  // (B, 64, 7, 7)
        return fc1.forward(h.reshape(h.size(0), 64 * 7 * 7));                              // (B, 128)
    }

    private static Tensor asImages(Tensor x) {
        long[] s = x.shape();
        if (s.length == 2 && s[1] == SIDE * SIDE) return x.reshape(s[0], 1, SIDE, SIDE);  // (B, 1, 28, 28)
        if (s.length == 4 && s[1] == 1 && s[2] == SIDE && s[3] == SIDE) return x;
        throw new IllegalArgumentException("digit classifier: expected images (B, 784) or (B, 1, 28, 28), got "
                + Arrays.toString(s));
    }

    /** Class probabilities for every row of {@code images} (N, 784), computed in chunks without a graph. */
    public INDArray probabilities(INDArray images) {
        return inChunks(images, CLASSES, x -> forward(x).softmax(1).value());
    }

    /** Penultimate features for every row of {@code images} (N, 784), in chunks without a graph. */
    public INDArray features(INDArray images) {
        return inChunks(images, FEATURES, x -> features(x).value());
    }

    /** The most probable class of every row of {@code images}. */
    public int[] predict(INDArray images) {
        INDArray p = probabilities(images);                                                // (N, 10)
        return p.argMax(1).toIntVector();
    }

    /** Fraction of {@code images} whose predicted class is {@code labels[i]}. */
    public double accuracy(INDArray images, int[] labels) {
        if (images.size(0) != labels.length)
            throw new IllegalArgumentException("accuracy: %d images but %d labels".formatted(images.size(0), labels.length));
        int[] pred = predict(images);
        int correct = 0;
        for (int i = 0; i < pred.length; i++) if (pred[i] == labels[i]) correct++;
        return labels.length == 0 ? 0.0 : correct / (double) labels.length;
    }

    private INDArray inChunks(INDArray images, int width, java.util.function.Function<Tensor, INDArray> f) {
        if (images.rank() != 2 || images.size(1) != SIDE * SIDE)
            throw new IllegalArgumentException("digit classifier: expected images (N, 784), got " + Arrays.toString(images.shape()));
        long n = images.size(0);
        INDArray out = Workspaces.outside(() -> Nd4j.create(DataType.FLOAT, n, width));    // (N, width)
        try (NoGrad ignored = NoGrad.scope()) {
            for (long from = 0; from < n; from += CHUNK) {
                long to = Math.min(n, from + CHUNK);
                try (MemoryWorkspace ws = Workspaces.step("digit-classifier")) {
                    INDArray x = images.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
                    if (x.dataType() != DataType.FLOAT) x = x.castTo(DataType.FLOAT);
                    out.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).assign(f.apply(Tensor.constant(x)));
                }
            }
        }
        return out;
    }

    /** Writes the weights and {@code metadata} (accuracy, epochs) to {@code file}, atomically. */
    public void save(Path file, Map<String, String> metadata) throws IOException {
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        java.util.Map<String, String> meta = new java.util.LinkedHashMap<>(metadata);
        meta.put("model", "digit-classifier");
        Checkpoint.save(file, this, null, meta);
    }

    /** A classifier with the weights of {@code file}; a missing file names the command that makes it. */
    public static DigitClassifier load(Path file) throws IOException {
        if (!Files.isRegularFile(file))
            throw new NoSuchFileException(file.toString(), null,
                    "no digit classifier checkpoint; train one with `tinygen train-classifier --checkpoint " + file + "`");
        DigitClassifier c = new DigitClassifier(new Rng(0));
        Checkpoint.load(file, c, null);
        c.eval();
        return c;
    }
}
