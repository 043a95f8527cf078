package dev.tinygen.vaegan.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinygen.nn.GradCheck;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LeakyReluTest {
    /** Values away from the kink at 0, where the derivative is undefined and finite differences straddle it. */
    private static INDArray awayFromZero(long seed, long... shape) {
        INDArray x = new Rng(seed).normal(DataType.DOUBLE, 1.0, shape);
        double[] v = x.data().asDouble();
        for (int i = 0; i < v.length; i++) if (Math.abs(v[i]) < 0.05) v[i] += Math.copySign(0.1, v[i]);
        return Nd4j.create(v, shape, DataType.DOUBLE);
    }

    @Test
    void valuesMatchANaiveLoop() {
        INDArray x = awayFromZero(1, 3, 5);
        INDArray y = LeakyRelu.apply(Tensor.constant(x), 0.2).value();
        for (int i = 0; i < x.length(); i++) {
            double xi = x.getDouble(i);
            assertEquals(xi > 0 ? xi : 0.2 * xi, y.getDouble(i), 1e-15);
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        for (double slope : new double[] {0.0, 0.2, 0.5}) {
            GradCheck.Result r = GradCheck.check(in -> LeakyRelu.apply(in.get(0), slope), awayFromZero(2, 4, 3, 2));
            assertTrue(r.passed(), "slope " + slope + ": " + r);
        }
    }

    @Test
    void gradientThroughTheModuleInAChain() {
        LeakyReLU act = new LeakyReLU(0.2);
        GradCheck.Result r = GradCheck.check(in -> act.forward(in.get(0).matmul(in.get(1))),
                awayFromZero(3, 4, 3), awayFromZero(4, 3, 5));
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void rejectsBadSlopeAndIntegerInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LeakyRelu.apply(Tensor.constant(Nd4j.ones(DataType.FLOAT, 2)), 1.5));
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LeakyReLU(-0.1));
        assertThrows(IllegalArgumentException.class, () -> LeakyRelu.apply(Tensor.constant(Nd4j.ones(DataType.INT, 2)), 0.2));
    }
}
