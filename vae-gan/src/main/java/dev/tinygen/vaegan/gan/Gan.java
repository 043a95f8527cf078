package dev.tinygen.vaegan.gan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.tinygen.nn.Module;
import dev.tinygen.nn.NoGrad;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.Workspaces;
import dev.tinygen.nn.io.Checkpoint;
import dev.tinygen.nn.ops.BceWithLogits;
import dev.tinygen.nn.ops.Concat;
import dev.tinygen.nn.optim.Adam;
import dev.tinygen.nn.optim.ParameterAverage;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A generative adversarial network: a {@link Generator} that turns noise into images and a {@link Discriminator}
 * that tells them from real ones, trained against each other with the non-saturating loss of Goodfellow et al.:
 *
 * <pre>
 *   D step: minimise BCE(D(x), 1) + BCE(D(G(z)), 0)      (G(z) detached)
 *   G step: minimise BCE(D(G(z)), 1)                     (rather than maximising BCE(D(G(z)), 0), whose
 *                                                         gradient vanishes while D easily rejects fakes)
 * </pre>
 *
 * Each network has its own Adam. Samples come from an exponential moving average of the generator's weights
 * ({@link ParameterAverage}, {@link GanConfig#emaDecay}), updated after every generator step: the trained generator
 * keeps moving as the discriminator pushes it around, and the average of its recent weights draws cleaner digits.
 * The generators' batch norm runs in training mode in {@link #step} (batch statistics, running statistics updated)
 * and in evaluation mode in {@link #generate} (running statistics); the average never trains, so its running
 * statistics are the trained generator's, copied by the average at each update.
 * A conditional GAN feeds the one-hot label to both networks, so the generator
 * learns to draw the digit it is asked for and the discriminator rejects a good image with the wrong label.
 *
 * <p>Shape: real images (B, 784) with pixels in [0, 1] (scaled to [-1, 1] inside, to match tanh); noise (B, Z);
 * labels int[B] -> generated images (B, 784) in [0, 1].
 */
public final class Gan extends Module {
    /** The two losses of one step. */
    public record Losses(double discriminator, double generator) {}

    private final GanConfig config;
    private final Generator generator;
    private final Discriminator discriminator;
    private final Generator averaged;           // null when the configuration asks for no average
    private final ParameterAverage average;
    private final Adam optG;
    private final Adam optD;
    private final Rng rng;

    public Gan(GanConfig config) {
        this.config = config;
        this.rng = new Rng(config.seed());
        int k = config.classes();
        generator = register("generator", newGenerator(config, rng));
        discriminator = register("discriminator", config.architecture() == GanConfig.Architecture.MLP
                ? new MlpDiscriminator(k, config.slope(), rng) : new ConvDiscriminator(k, config.slope(), rng));
        optG = new Adam(generator.namedParameters(), config.lr(), config.beta1(), 0.999, 1e-8, 0.0);
        optD = new Adam(discriminator.namedParameters(), config.lr(), config.beta1(), 0.999, 1e-8, 0.0);
        if (config.emaDecay() > 0) {
            // Its initial values are overwritten by the generator's, so it draws from its own generator and leaves
            // the GAN's noise and batches as they would be without it.
            averaged = register("generator_ema", newGenerator(config, new Rng(config.seed() ^ 0x5eedL)));
            average = new ParameterAverage(generator, averaged, config.emaDecay());
        } else {
            averaged = null;
            average = null;
        }
    }

    private static Generator newGenerator(GanConfig c, Rng rng) {
        return c.architecture() == GanConfig.Architecture.MLP ? new MlpGenerator(c.noiseDim(), c.classes(), c.slope(), rng)
                : new ConvGenerator(c.noiseDim(), c.classes(), rng);
    }

    public GanConfig config() {
        return config;
    }

    /** The generator being trained. */
    public Generator generator() {
        return generator;
    }

    /** The generator that draws samples: the weight average when the configuration keeps one, else the trained one. */
    public Generator sampler() {
        return averaged != null ? averaged : generator;
    }

    public Discriminator discriminator() {
        return discriminator;
    }

    /** The generator of noise and batches, seeded by the configuration (a data loader may fork it). */
    public Rng rng() {
        return rng;
    }

    /**
     * One discriminator step and one generator step on a batch of real images (B >= 2: the generator's batch norm
     * estimates statistics from the batch); labels are required exactly when the GAN is conditional (the fakes of
     * the step are asked for the same labels as the real batch).
     */
    public Losses step(INDArray real, int[] labels) {
        checkImages(real);
        int b = (int) real.size(0);
        checkLabels(labels, b);
        // Training mode whatever a caller left: batch norm must normalise by, and learn from, this batch. (The
        // average's flag follows too, but it is only ever run by generate, which switches to evaluation.)
        train();
        double dLoss, gLoss;
        try (MemoryWorkspace ws = Workspaces.step("gan-train")) {
            Tensor onehot = labels == null ? null : Tensor.constant(oneHot(labels, config.classes()));       // (B, K)
            Tensor x = Tensor.constant(real.mul(2).subi(1));                                               // (B, 784) in [-1, 1]
            Tensor fake = generator.generate(Tensor.constant(noise(b)), onehot);                           // (B, 784)

            // One discriminator pass over real and fake together: half the op count of two passes.
            Tensor both = Concat.apply(0, x, fake.detach());                                               // (2B, 784)
            Tensor bothLabels = onehot == null ? null : Concat.apply(0, onehot, onehot);                   // (2B, K)
            Tensor logits = discriminator.score(both, bothLabels);                                         // (2B, 1)
            INDArray targets = Nd4j.zeros(logits.dtype(), 2L * b, 1);
            targets.get(NDArrayIndex.interval(0, b), NDArrayIndex.all()).assign(1);
            // Mean over 2B is half of BCE(real, 1) + BCE(fake, 0) averaged over B each; the factor 2 restores the sum.
            Tensor d = BceWithLogits.apply(logits, Tensor.constant(targets)).scale(2, 0);
            d.backward();
            optD.step();
            dLoss = d.item();

            Tensor g = BceWithLogits.apply(discriminator.score(fake, onehot), Tensor.constant(Nd4j.ones(fake.dtype(), b, 1)));
            g.backward();
            optG.step();
            if (average != null) average.update();
            gLoss = g.item();
        }
        // The generator step also filled the discriminator's gradients; they must not leak into its next step.
        optD.zeroGrad();
        optG.zeroGrad();
        return new Losses(dLoss, gLoss);
    }

    /** Standard normal noise (n, Z) from this GAN's generator. */
    public INDArray noise(int n) {
        if (n < 1) throw new IllegalArgumentException("gan: noise for %d images requested; need >= 1".formatted(n));
        return rng.normal(DataType.FLOAT, 1.0, n, config.noiseDim());
    }

    /** Images (N, 784) in [0, 1] drawn by the {@link #sampler} for noise {@code z} (N, Z); labels as for {@link #step}. */
    public INDArray generate(INDArray z, int[] labels) {
        return generate(sampler(), z, labels);
    }

    /**
     * Images (N, 784) in [0, 1] drawn by {@code g} (this GAN's {@link #generator} or {@link #sampler}) for noise
     * {@code z} (N, Z), outside any workspace; labels as for {@link #step}.
     */
    public INDArray generate(Generator g, INDArray z, int[] labels) {
        if (g != generator && g != averaged) throw new IllegalArgumentException("gan: the generator given is not one of this GAN's");
        if (z.rank() != 2 || z.size(1) != config.noiseDim())
            throw new IllegalArgumentException("gan: expected noise (N, %d), got %s".formatted(config.noiseDim(), Arrays.toString(z.shape())));
        checkLabels(labels, (int) z.size(0));
        boolean wasTraining = isTraining();
        eval();
        try (NoGrad ignored = NoGrad.scope(); MemoryWorkspace ws = Workspaces.step("gan-generate")) {
            Tensor onehot = labels == null ? null : Tensor.constant(oneHot(labels, config.classes()));
            INDArray y = g.generate(Tensor.constant(z), onehot).value();                                  // (N, 784)
            return Workspaces.detach(y.add(1).divi(2));
        } finally {
            if (wasTraining) train();
        }
    }

    /** {@code n} new images (N, 784) in [0, 1] from the {@link #sampler}; labels as for {@link #step}. */
    public INDArray sample(int n, int[] labels) {
        return sample(sampler(), n, labels);
    }

    /** {@code n} new images (N, 784) in [0, 1] from {@code g}; labels as for {@link #step}. Generates in chunks of 1000. */
    public INDArray sample(Generator g, int n, int[] labels) {
        if (n < 1) throw new IllegalArgumentException("gan: expected a sample count >= 1, got " + n);
        checkLabels(labels, n);
        INDArray out = Workspaces.outside(() -> Nd4j.create(DataType.FLOAT, n, 784));
        for (int from = 0; from < n; from += 1000) {
            int to = Math.min(n, from + 1000);
            int[] l = labels == null ? null : Arrays.copyOfRange(labels, from, to);
            out.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).assign(generate(g, noise(to - from), l));
        }
        return out;
    }

    private void checkImages(INDArray real) {
        if (real.rank() != 2 || real.size(1) != 784 || real.size(0) < 2)
            throw new IllegalArgumentException("gan: expected real images (B, 784) with B >= 2 (the generator's batch norm"
                    + " estimates statistics from the batch), got " + Arrays.toString(real.shape()));
        if (real.dataType() != DataType.FLOAT)
            throw new IllegalArgumentException("gan: expected float32 images, got " + real.dataType());
    }

    private void checkLabels(int[] labels, int n) {
        if (!config.isConditional()) {
            if (labels != null) throw new IllegalArgumentException("gan: this GAN is unconditional, but labels were given");
            return;
        }
        if (labels == null) throw new IllegalArgumentException("gan: this GAN is conditional on " + config.classes() + " classes; labels are required");
        if (labels.length != n) throw new IllegalArgumentException("gan: expected %d labels, got %d".formatted(n, labels.length));
        for (int i = 0; i < labels.length; i++)
            if (labels[i] < 0 || labels[i] >= config.classes())
                throw new IllegalArgumentException("gan: label %d at position %d is outside [0, %d)".formatted(labels[i], i, config.classes()));
    }

    /** (N, K) with a 1 at column labels[i] of row i. */
    static INDArray oneHot(int[] labels, int classes) {
        float[] v = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) v[i * classes + labels[i]] = 1f;
        return Nd4j.create(v, new long[] {labels.length, classes}, 'c');
    }

    /** Writes both networks' weights and the configuration (plus {@code extra} metadata) to {@code file}. */
    public void save(Path file, Map<String, String> extra) throws IOException {
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        Map<String, String> meta = new LinkedHashMap<>(config.toMetadata());
        meta.putAll(extra);
        meta.put("model", "gan");
        Checkpoint.save(file, this, null, meta);
    }

    /** A GAN rebuilt from the configuration in {@code file}'s metadata, with its weights. */
    public static Gan load(Path file) throws IOException {
        if (!Files.isRegularFile(file))
            throw new NoSuchFileException(file.toString(), null, "no GAN checkpoint; train one with `tinygen train-gan --out DIR`");
        Map<String, String> meta = Checkpoint.readMetadata(file);
        Gan gan = new Gan(GanConfig.fromMetadata(meta));
        Checkpoint.load(file, gan, null);
        return gan;
    }
}
