package dev.tinygen.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class InitTest {
    private static final int N = 200_000;

    /** Mean within 4 standard errors of 0, std within 1% of the formula, values within the bound if any. */
    private static void assertStats(INDArray a, double expectedStd, double bound) {
        double[] v = a.castTo(DataType.DOUBLE).data().asDouble();
        double mean = 0;
        for (double x : v) mean += x;
        mean /= v.length;
        double var = 0;
        double maxAbs = 0;
        for (double x : v) {
            var += (x - mean) * (x - mean);
            maxAbs = Math.max(maxAbs, Math.abs(x));
        }
        double std = Math.sqrt(var / v.length);
        assertEquals(0.0, mean, 4 * expectedStd / Math.sqrt(v.length), "mean");
        assertEquals(expectedStd, std, 0.01 * expectedStd, "std");
        if (bound > 0) {
            assertTrue(maxAbs <= bound, "max |x| " + maxAbs + " exceeds bound " + bound);
            assertTrue(maxAbs > 0.99 * bound, "max |x| " + maxAbs + " does not reach near bound " + bound);
        }
    }

    @Test
    void statisticsMatchTheFormulas() {
        Rng rng = new Rng(1);
        assertStats(Init.normal(rng, DataType.FLOAT, 0.02, N), 0.02, 0);
        double a = Math.sqrt(6.0 / (300 + 100));
        assertStats(Init.xavierUniform(rng, DataType.FLOAT, 300, 100, 400, 500), a / Math.sqrt(3), a);
        assertStats(Init.xavierUniform(rng, DataType.DOUBLE, 2.0, 300, 100, N), 2 * a / Math.sqrt(3), 2 * a);
        assertStats(Init.xavierNormal(rng, DataType.FLOAT, 300, 100, N), Math.sqrt(2.0 / 400), 0);
        double b = Math.sqrt(2.0) * Math.sqrt(3.0 / 256);
        assertStats(Init.kaimingUniform(rng, DataType.FLOAT, 256, Init.Nonlinearity.RELU, N), b / Math.sqrt(3), b);
        assertStats(Init.kaimingNormal(rng, DataType.FLOAT, 256, Init.Nonlinearity.TANH, N), (5.0 / 3) / 16, 0);
        assertStats(Init.kaimingNormal(rng, DataType.FLOAT, 64, 0.5, N), 0.5 / 8, 0);
        // PyTorch's nn.Linear default: kaiming_uniform(a = sqrt(5)) gives bound 1/sqrt(fanIn)
        assertStats(Init.kaimingUniform(rng, DataType.FLOAT, 100, Init.leakyReluGain(Math.sqrt(5)), N),
                0.1 / Math.sqrt(3), 0.1);
    }

    @Test
    void shapesTypesAndConstants() {
        Rng rng = new Rng(2);
        INDArray w = Init.xavierNormal(rng, DataType.DOUBLE, 3, 4, 3, 4);
        assertEquals(DataType.DOUBLE, w.dataType());
        assertEquals(2, w.rank());
        assertEquals(12, w.length());
        assertEquals(6.0, Init.ones(DataType.FLOAT, 2, 3).sumNumber().doubleValue());
        assertEquals(0.0, Init.zeros(DataType.FLOAT, 2, 3).sumNumber().doubleValue());
        assertEquals(Math.sqrt(2 / (1 + 0.01 * 0.01)), Init.Nonlinearity.LEAKY_RELU.gain(), 1e-15);
    }

    @Test
    void sameSeedSameArrayOtherSeedOtherArray() {
        Function<Long, INDArray> draw = seed -> Init.kaimingUniform(new Rng(seed), DataType.FLOAT, 16, 1.0, 16, 8);
        assertEquals(draw.apply(42L), draw.apply(42L));
        assertTrue(!draw.apply(42L).equals(draw.apply(43L)));
        Function<Long, INDArray> drawN = seed -> Init.normal(new Rng(seed), DataType.DOUBLE, 1.0, 5, 7);
        assertEquals(drawN.apply(9L), drawN.apply(9L));
    }

    @Test
    void badArgumentsNameTheValues() {
        Rng rng = new Rng(3);
        var e = assertThrows(IllegalArgumentException.class, () -> Init.xavierUniform(rng, DataType.FLOAT, 0, 5, 2, 2));
        assertTrue(e.getMessage().contains("fanIn 0, fanOut 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Init.normal(rng, DataType.FLOAT, -1, 2));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Init.kaimingNormal(rng, DataType.FLOAT, -4, 1.0, 2));
        assertTrue(e.getMessage().contains("fanIn -4"), e.getMessage());
    }
}
