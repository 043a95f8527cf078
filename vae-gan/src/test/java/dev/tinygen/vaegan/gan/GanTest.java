package dev.tinygen.vaegan.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** GAN networks and steps on synthetic images; the run on real digits is in {@link GanTrainingTest}. */
class GanTest {
    private static INDArray images(long seed, int n) {
        return new Rng(seed).uniform(DataType.FLOAT, 0, 1, n, 784);
    }

    private static int[] labels(int n) {
        int[] l = new int[n];
        for (int i = 0; i < n; i++) l[i] = i % 10;
        return l;
    }

    @Test
    void shapesOfEveryVariant() {
        for (GanConfig cfg : List.of(GanConfig.mlp(1), GanConfig.dcgan(1), GanConfig.mlp(1).conditional(),
                GanConfig.dcgan(1).conditional())) {
            Gan gan = new Gan(cfg.withBatch(4));
            int[] l = cfg.isConditional() ? labels(5) : null;
            INDArray y = gan.generate(gan.noise(5), l);
            assertArrayEquals(new long[] {5, 784}, y.shape(), cfg.toString());
            assertTrue(y.minNumber().doubleValue() >= 0 && y.maxNumber().doubleValue() <= 1, "pixels in [0, 1] for " + cfg);
            Tensor onehot = cfg.isConditional() ? Tensor.constant(Gan.oneHot(l, 10)) : null;
            Tensor logits = gan.discriminator().score(Tensor.constant(images(2, 5)), onehot);
            assertArrayEquals(new long[] {5, 1}, logits.shape(), cfg.toString());
            Gan.Losses losses = gan.step(images(3, 4), cfg.isConditional() ? labels(4) : null);
            assertTrue(Double.isFinite(losses.discriminator()) && Double.isFinite(losses.generator()), cfg + ": " + losses);
        }
    }

    @Test
    void firstLossesAreNearChance() {
        // An untrained discriminator outputs logits near 0: D loss about 2 ln 2 (sum of two BCEs), G loss about ln 2.
        Gan.Losses l = new Gan(GanConfig.mlp(5)).step(images(1, 64), null);
        assertEquals(2 * Math.log(2), l.discriminator(), 0.15, l.toString());
        assertEquals(Math.log(2), l.generator(), 0.15, l.toString());
    }

    @Test
    void sameSeedSameLosses() {
        for (GanConfig cfg : List.of(GanConfig.mlp(9), GanConfig.dcgan(9).withBatch(8))) {
            double[] a = losses(new Gan(cfg), 3), b = losses(new Gan(cfg), 3);
            assertArrayEquals(a, b, 0.0, cfg.toString());
            double[] c = losses(new Gan(new GanConfig(cfg.architecture(), 100, 0, cfg.batch(), 2e-4, 0.5, 0.2, 0.999, 10)), 3);
            assertTrue(a[0] != c[0], "a different seed gives different losses");
        }
    }

    private static double[] losses(Gan gan, int steps) {
        double[] out = new double[2 * steps];
        for (int s = 0; s < steps; s++) {
            Gan.Losses l = gan.step(images(100 + s, gan.config().batch()), null);
            out[2 * s] = l.discriminator();
            out[2 * s + 1] = l.generator();
        }
        return out;
    }

    @Test
    void samplesComeFromTheAverageOfTheGeneratorsWeights() {
        Gan gan = new Gan(GanConfig.mlp(3).withBatch(4));
        assertTrue(gan.sampler() != gan.generator());
        String w = "fc3.weight";
        double[] expected = gan.generator().namedParameters().get(w).value().reshape(-1).toDoubleVector();
        for (int s = 0; s < 3; s++) {
            gan.step(images(10 + s, 4), null);
            double d = (1.0 + s) / (10.0 + s);                                             // the warm-up decay
            double[] now = gan.generator().namedParameters().get(w).value().reshape(-1).toDoubleVector();
            for (int j = 0; j < now.length; j++) expected[j] = d * expected[j] + (1 - d) * now[j];
        }
        double[] got = gan.sampler().namedParameters().get(w).value().reshape(-1).toDoubleVector();
        double[] raw = gan.generator().namedParameters().get(w).value().reshape(-1).toDoubleVector();
        double maxDiff = 0, maxLag = 0;
        for (int j = 0; j < got.length; j++) {
            maxDiff = Math.max(maxDiff, Math.abs(got[j] - expected[j]));
            maxLag = Math.max(maxLag, Math.abs(got[j] - raw[j]));
        }
        assertTrue(maxDiff < 1e-6, "average off the hand loop by " + maxDiff);
        assertTrue(maxLag > 1e-5, "the average should lag the trained weights, differs by only " + maxLag);
        INDArray z = gan.noise(3);
        assertEquals(gan.generate(gan.sampler(), z, null), gan.generate(z, null));
        assertTrue(!gan.generate(gan.generator(), z, null).equals(gan.generate(z, null)), "raw and averaged samples differ");

        Gan plain = new Gan(GanConfig.mlp(3).withBatch(4).withEmaDecay(0));
        assertTrue(plain.sampler() == plain.generator());
        assertTrue(plain.namedParameters().keySet().stream().noneMatch(k -> k.startsWith("generator_ema")));
        var e = assertThrows(IllegalArgumentException.class, () -> gan.generate(plain.generator(), z, null));
        assertTrue(e.getMessage().contains("not one of this GAN's"), e.getMessage());
    }

    /**
     * Batch norm after every generator layer but the output (DCGAN): trained on the batch in {@link Gan#step},
     * drawing with running statistics in {@link Gan#generate}, which the average gets from the trained generator.
     */
    @Test
    void generatorsBatchNormTrainsOnTheBatchAndSamplesWithRunningStatistics() {
        // Weights plus each norm's gain and bias (2 x channels): 100-256-512-1024-784 and 100-3136 (64x7x7)-32x14x14-1x28x28.
        long mlp = (100 * 256 + 256) + (256 * 512 + 512) + (512 * 1024 + 1024) + (1024 * 784 + 784) + 2 * (256 + 512 + 1024);
        long dcgan = (100 * 3136 + 3136) + (64 * 32 * 16 + 32) + (32 * 16 + 1) + 2 * (64 + 32);
        for (GanConfig cfg : List.of(GanConfig.mlp(6).withBatch(8), GanConfig.dcgan(6).withBatch(8))) {
            Gan gan = new Gan(cfg);
            String norm = cfg.architecture() == GanConfig.Architecture.MLP ? "bn1" : "bn0";
            assertEquals(cfg.architecture() == GanConfig.Architecture.MLP ? mlp : dcgan, gan.generator().parameterCount(), cfg.toString());
            assertEquals(List.of(norm + ".running_mean", norm + ".running_var"),
                    List.copyOf(gan.generator().namedBuffers().keySet()).subList(0, 2), cfg.toString());
            assertTrue(gan.discriminator().namedBuffers().isEmpty(), "the discriminators have no batch norm");
            INDArray mean = gan.generator().namedBuffers().get(norm + ".running_mean");

            gan.eval();  // a step trains whatever mode it finds
            gan.step(images(20, 8), null);
            assertTrue(mean.amaxNumber().doubleValue() > 0, "running mean moved from 0 for " + cfg);
            INDArray afterOne = mean.dup();
            for (var e : gan.generator().namedBuffers().entrySet())
                assertEquals(e.getValue(), gan.sampler().namedBuffers().get(e.getKey()), "the average copies " + e.getKey());

            // Running statistics in generate: an image does not depend on what else is in its batch, nor moves them.
            INDArray z = gan.noise(6);
            INDArray all = gan.generate(gan.generator(), z, null);
            INDArray two = gan.generate(gan.generator(), z.get(NDArrayIndex.interval(0, 2)).dup(), null);
            INDArray firstTwo = all.get(NDArrayIndex.interval(0, 2));
            assertTrue(firstTwo.equalsWithEps(two, 1e-6), cfg + ": rows depend on the batch in eval mode");
            assertEquals(afterOne, mean, "generate must not move the running statistics");
            assertTrue(gan.generator().isTraining(), "generate restores training mode");
        }
    }

    @Test
    void saveAndLoadGiveTheSameImages(@TempDir Path dir) throws Exception {
        Gan gan = new Gan(GanConfig.mlp(2).conditional().withBatch(4));
        gan.step(images(1, 4), labels(4));
        Path f = dir.resolve("gan.safetensors");
        gan.save(f, Map.of("epochs", "0"));
        Gan back = Gan.load(f);
        assertEquals(gan.config(), back.config());
        INDArray z = new Rng(4).normal(DataType.FLOAT, 1, 6, 100);
        assertEquals(gan.generate(z, labels(6)), back.generate(z, labels(6)));
        assertEquals(gan.generate(gan.generator(), z, labels(6)), back.generate(back.generator(), z, labels(6)));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Gan.load(dir.resolve("missing.safetensors")));
        assertTrue(Files.size(f) > 4 * gan.parameterCount());
        assertEquals(gan.namedBuffers().get("generator_ema.bn2.running_var"), back.namedBuffers().get("generator_ema.bn2.running_var"));
        assertTrue(Nd4j.ones(DataType.FLOAT, 512).sub(back.namedBuffers().get("generator.bn2.running_var"))
                .amaxNumber().doubleValue() > 0, "the running statistics were saved after a step, not at their start");
    }

    @Test
    void rejectsBadInputs() {
        Gan gan = new Gan(GanConfig.mlp(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gan.step(new Rng(1).uniform(DataType.FLOAT, 0, 1, 4, 780), null));
        assertTrue(e.getMessage().contains("780"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> gan.step(images(1, 4), labels(4)));
        assertTrue(e.getMessage().contains("unconditional"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> gan.step(images(1, 1), null));
        assertTrue(e.getMessage().contains("B >= 2") && e.getMessage().contains("[1, 784]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GanConfig.mlp(1).withBatch(1));
        assertTrue(e.getMessage().contains("batch must be >= 2") && e.getMessage().contains("got 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> gan.generate(new Rng(1).normal(DataType.FLOAT, 1, 2, 50), null));
        assertThrows(IllegalArgumentException.class, () -> gan.noise(0));
        e = assertThrows(IllegalArgumentException.class, () -> gan.sample(0, null));
        assertTrue(e.getMessage().contains("sample count >= 1, got 0"), e.getMessage());

        Gan cgan = new Gan(GanConfig.mlp(1).conditional());
        e = assertThrows(IllegalArgumentException.class, () -> cgan.step(images(1, 2), new int[] {3, 10}));
        assertTrue(e.getMessage().contains("label 10"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> cgan.step(images(1, 2), null));
        assertThrows(IllegalArgumentException.class, () -> cgan.step(images(1, 2), new int[] {1}));

        e = assertThrows(IllegalArgumentException.class, () -> new GanConfig(GanConfig.Architecture.MLP, 0, 0, 64, 2e-4, 0.5, 0.2, 0.999, 1));
        assertTrue(e.getMessage().contains("noise size must be >= 1, got 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GanConfig(GanConfig.Architecture.MLP, 100, 1, 64, 2e-4, 0.5, 0.2, 0.999, 1));
        assertThrows(IllegalArgumentException.class, () -> new GanConfig(GanConfig.Architecture.MLP, 100, 0, 64, 2e-4, 1.0, 0.2, 0.999, 1));
        assertThrows(IllegalArgumentException.class, () -> GanConfig.fromMetadata(Map.of("architecture", "MLP")));
        e = assertThrows(IllegalArgumentException.class, () -> GanConfig.mlp(1).withEmaDecay(1.0));
        assertTrue(e.getMessage().contains("decay must be in [0, 1)") && e.getMessage().contains("1.0"), e.getMessage());
    }
}
