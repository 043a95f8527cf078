package dev.tinygen.vaegan.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinygen.nn.GradCheck;
import dev.tinygen.nn.Module;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class LabelProjectionTest {
    @Test
    void scoreIsTheInnerProductWithTheLabelsRowOfTheEmbedding() {
        LabelProjection p = new LabelProjection(4, 3, new Rng(1));
        p.to(DataType.DOUBLE);
        INDArray phi = new Rng(2).normal(DataType.DOUBLE, 1.0, 5, 3);
        int[] y = {0, 3, 1, 1, 2};
        INDArray e = p.namedParameters().get("embed.weight").value();                      // (K, F) as Linear keeps it
        INDArray s = p.score(Tensor.constant(phi), Tensor.constant(Gan.oneHot(y, 4).castTo(DataType.DOUBLE))).value();
        for (int i = 0; i < 5; i++) {
            double expected = 0;
            for (int f = 0; f < 3; f++) expected += phi.getDouble(i, f) * e.getDouble(y[i], f);
            assertEquals(expected, s.getDouble(i, 0), 1e-12, "row " + i);
        }
    }

    @Test
    void conditionalDiscriminatorsJudgeImageAndLabelTogether() {
        // With the label only appended to a linear head, D(x, a) - D(x, b) would be the same for every image x.
        for (Discriminator d : new Discriminator[] {new MlpDiscriminator(10, 0.2, new Rng(3)), new ConvDiscriminator(10, 0.2, new Rng(3))}) {
            INDArray x = new Rng(4).uniform(DataType.FLOAT, -1, 1, 2, 784);
            Tensor imgs = Tensor.constant(x);
            double[] a = d.score(imgs, Tensor.constant(Gan.oneHot(new int[] {3, 3}, 10))).value().toDoubleVector();
            double[] b = d.score(imgs, Tensor.constant(Gan.oneHot(new int[] {7, 7}, 10))).value().toDoubleVector();
            double gap0 = a[0] - b[0], gap1 = a[1] - b[1];
            assertTrue(Math.abs(gap0 - gap1) > 1e-4, d.getClass().getSimpleName() + ": label effect " + gap0 + " vs " + gap1);
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        // The embedding's gradient and the features' gradient (what flows back into the discriminator's body).
        LabelProjection p = new LabelProjection(4, 3, new Rng(5));
        p.to(DataType.DOUBLE);
        Tensor phi = Tensor.constant(new Rng(6).normal(DataType.DOUBLE, 1.0, 5, 3));
        Tensor y = Tensor.constant(Gan.oneHot(new int[] {0, 3, 1, 1, 2}, 4).castTo(DataType.DOUBLE));
        GradCheck.Result r = GradCheck.checkParameters(p.parameters(), () -> p.score(phi, y), 1e-6, 1e-6);
        assertTrue(r.passed(), "embedding: " + r);
        GradCheck.Result rx = GradCheck.check(in -> p.score(in.get(0), y), new Rng(7).normal(DataType.DOUBLE, 1.0, 5, 3));
        assertTrue(rx.passed(), "features: " + rx);
    }

    @Test
    void badLabelsAreNamed() {
        LabelProjection p = new LabelProjection(10, 8, new Rng(1));
        Tensor phi = Tensor.constant(new Rng(2).normal(DataType.FLOAT, 1.0, 3, 8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.score(phi, Tensor.constant(Gan.oneHot(new int[] {1, 2}, 10))));
        assertTrue(e.getMessage().contains("(3, 10)") && e.getMessage().contains("[2, 10]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LabelProjection(1, 8, new Rng(1)));
        Module unconditional = new MlpDiscriminator(0, 0.2, new Rng(1));
        assertTrue(unconditional.namedParameters().keySet().stream().noneMatch(k -> k.startsWith("projection")));
    }
}
