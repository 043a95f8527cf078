package dev.tinygen.nn.ops;

import static dev.tinygen.nn.TestArrays.assertClose;
import static dev.tinygen.nn.TestArrays.assertGradOk;
import static dev.tinygen.nn.TestArrays.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinygen.nn.GradCheck;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DropoutTest {
    private static final long[] SHAPE = {12, 64, 128};

    private static float[] mask(long seed, double p) {
        Tensor ones = Tensor.constant(Nd4j.ones(DataType.FLOAT, SHAPE));
        return Dropout.apply(ones, p, new Rng(seed)).value().data().asFloat();
    }

    @Test
    void sameSeedSameMaskOtherSeedOtherMask() {
        float[] a = mask(42, 0.1);
        float[] b = mask(42, 0.1);
        float[] c = mask(43, 0.1);
        assertEquals(java.util.Arrays.hashCode(a), java.util.Arrays.hashCode(b));
        assertTrue(java.util.Arrays.equals(a, b), "same seed must give the same mask");
        int differ = 0;
        for (int i = 0; i < a.length; i++) if (a[i] != c[i]) differ++;
        // two independent masks with p = 0.1 disagree on 2 p (1 - p) = 18% of elements
        assertTrue(differ > 0.15 * a.length && differ < 0.21 * a.length, "masks of seeds 42 and 43 differ in " + differ);
    }

    @Test
    void eachCallDrawsOnceAndGivesAFreshMask() {
        Rng rng = new Rng(5);
        Tensor ones = Tensor.constant(Nd4j.ones(DataType.FLOAT, SHAPE));
        float[] first = Dropout.apply(ones, 0.5, rng).value().data().asFloat();
        float[] second = Dropout.apply(ones, 0.5, rng).value().data().asFloat();
        assertTrue(!java.util.Arrays.equals(first, second), "successive calls must draw new masks");
        Rng replay = new Rng(5);
        replay.nextLong();
        replay.nextLong();
        assertEquals(replay.state(), rng.state(), "dropout must advance the Rng by one draw per call");
    }

    @Test
    void dropsAboutPAndScalesTheRestByOneOverOneMinusP() {
        for (double p : new double[] {0.1, 0.5, 0.9}) {
            float[] m = mask(7, p);
            float kept = (float) (1 / (1 - p));
            int zeros = 0;
            for (float v : m) {
                if (v == 0) zeros++;
                else assertEquals(kept, v, 0, "p = " + p);
            }
            double frac = (double) zeros / m.length;
            double sigma = Math.sqrt(p * (1 - p) / m.length);
            assertEquals(p, frac, 5 * sigma, "fraction dropped at p = " + p);
        }
    }

    @Test
    void gradientIsTheSameMaskTimesDy() {
        INDArray x = randn(new Rng(3), 4, 5, 6);
        Tensor xt = Tensor.variable(x);
        Tensor y = Dropout.apply(xt, 0.3, new Rng(9));
        INDArray dy = randn(new Rng(4), 4, 5, 6);
        y.backward(dy);
        INDArray scale = y.value().div(x);                                          // the mask: 0 or 1/0.7
        for (double s : scale.data().asDouble()) assertTrue(s == 0 || Math.abs(s - 1 / 0.7) < 1e-12, "mask value " + s);
        assertClose(scale.mul(dy), xt.grad(), 1e-12);
        for (long[] shape : new long[][] {{7}, {3, 4}, {2, 3, 4}})
            assertGradOk(GradCheck.check(in -> Dropout.apply(in.get(0), 0.3, new Rng(9)), randn(new Rng(1), shape)));
    }

    @Test
    void float32AndFloat64DrawTheSameMask() {
        INDArray x = randn(new Rng(8), 6, 7);
        INDArray y64 = Dropout.apply(Tensor.constant(x), 0.25, new Rng(77)).value();
        INDArray y32 = Dropout.apply(Tensor.constant(x.castTo(DataType.FLOAT)), 0.25, new Rng(77)).value();
        assertEquals(DataType.FLOAT, y32.dataType());
        assertClose(y64, y32, 1e-6);
    }

    @Test
    void zeroPIsIdentityAndBadPIsNamed() {
        Rng rng = new Rng(1);
        long before = rng.state();
        Tensor x = Tensor.variable(Nd4j.ones(DataType.DOUBLE, 3));
        assertSame(x, Dropout.apply(x, 0, rng));
        assertEquals(before, rng.state(), "p = 0 must not draw");
        for (double p : new double[] {1, -0.1, Double.NaN}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Dropout.apply(x, p, rng));
            assertTrue(e.getMessage().contains("dropout") && e.getMessage().contains("[0, 1)")
                    && e.getMessage().contains(String.valueOf(p)), e.getMessage());
        }
        assertNotEquals(null, assertThrows(IllegalArgumentException.class, () -> Dropout.apply(x, 0.5, null)).getMessage());
    }

    @Test
    void layerDropsOnlyInTrainingMode() {
        var layer = new dev.tinygen.nn.layers.Dropout(0.5, new Rng(2));
        Tensor x = Tensor.constant(Nd4j.ones(DataType.FLOAT, 8, 16));
        INDArray trained = layer.forward(x).value();
        assertTrue(trained.eq(0).castTo(DataType.INT32).sumNumber().intValue() > 0, "training mode must drop");
        layer.eval();
        assertSame(x, layer.forward(x));
        layer.train();
        assertTrue(layer.forward(x).value().eq(0).castTo(DataType.INT32).sumNumber().intValue() > 0);
        assertTrue(layer.parameters().isEmpty());
        var e = assertThrows(IllegalArgumentException.class, () -> new dev.tinygen.nn.layers.Dropout(1.5, new Rng(1)));
        assertTrue(e.getMessage().contains("Dropout") && e.getMessage().contains("1.5"), e.getMessage());
    }
}
