package dev.tinygen.vaegan.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import dev.tinygen.nn.data.Mnist;
import dev.tinygen.vaegan.ImageGrid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A short run on real digits: what a few hundred steps must already achieve. */
class GanTrainingTest {
    @Test
    void shortRunLearnsThePixelStatisticsOfDigits(@TempDir Path dir) throws Exception {
        assumeTrue(Mnist.isAvailable(), Mnist.missingMessage());
        Mnist.Split train = Mnist.train().first(3200);
        Gan gan = new Gan(GanConfig.mlp(1));
        double realMean = train.images().meanNumber().doubleValue();                     // about 0.13: mostly black
        double before = gan.sample(500, null).meanNumber().doubleValue();                // about 0.5: tanh of noise
        GanTrainer.Result r = GanTrainer.train(gan, train, 10, 300, dir, null);
        assertEquals(300, r.steps().size());
        INDArray after = gan.sample(500, null);
        double afterMean = after.meanNumber().doubleValue();
        assertTrue(Math.abs(before - realMean) > 0.25, "untrained mean pixel " + before + " vs real " + realMean);
        // Measured: 0.50 before, 0.22 after 300 steps (the same without batch norm and the 1024 layer), real 0.13.
        // The generator must close at least half of the gap.
        assertTrue(Math.abs(afterMean - realMean) < 0.5 * Math.abs(before - realMean),
                "after 300 steps mean pixel " + afterMean + ", before " + before + ", real " + realMean);
        // The discriminator must beat chance (2 ln 2 = 1.386) over the last 50 steps. Measured 1.23: the batch-normalised
        // generator keeps it nearer chance than the generator without batch norm did (0.78).
        double dTail = r.steps().subList(250, 300).stream().mapToDouble(Gan.Losses::discriminator).average().orElseThrow();
        assertTrue(dTail < 1.3, "discriminator loss over the last 50 steps " + dTail + " is not below 1.3");
        assertTrue(Files.isRegularFile(dir.resolve("epoch-01.png")) && Files.isRegularFile(dir.resolve("progress.png"))
                && Files.isRegularFile(dir.resolve("losses.png")), "PNGs written");
        // The progress strip holds one row of 10 digits per epoch: 300 steps of 64 over 3,200 images are 6 epochs.
        java.awt.image.BufferedImage strip = javax.imageio.ImageIO.read(dir.resolve("progress.png").toFile());
        assertEquals(6, r.epochs().size());
        int tile = 28 * ImageGrid.DEFAULT_SCALE;
        assertEquals(ImageGrid.GAP + 6 * (tile + ImageGrid.GAP), strip.getHeight(), "6 rows of digits");
        assertTrue(strip.getWidth() > ImageGrid.GAP + 10 * (tile + ImageGrid.GAP), "10 digits a row and the epoch labels");
    }

    @Test
    void rejectsEmptyDataAndBadCounts() {
        Gan gan = new Gan(GanConfig.mlp(1));
        Mnist.Split empty = new Mnist.Split(org.nd4j.linalg.factory.Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 0, 784), new int[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GanTrainer.train(gan, empty, 1, 10, null, null));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        Mnist.Split one = new Mnist.Split(org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 784), new int[] {0});
        assertThrows(IllegalArgumentException.class, () -> GanTrainer.train(gan, one, 0, 10, null, null));
    }
}
