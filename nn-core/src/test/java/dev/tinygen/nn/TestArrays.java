package dev.tinygen.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Test helpers: random float64 inputs and element-by-element comparison. */
public final class TestArrays {
    private TestArrays() {}

    public static INDArray randn(Rng rng, long... shape) {
        return rng.normal(DataType.DOUBLE, 1.0, shape);
    }

    public static void assertClose(INDArray expected, INDArray actual, double tol) {
        assertTrue(Arrays.equals(expected.shape(), actual.shape()),
                "shape: expected " + Arrays.toString(expected.shape()) + ", got " + Arrays.toString(actual.shape()));
        INDArray e = expected.castTo(DataType.DOUBLE).reshape(expected.length());
        INDArray a = actual.castTo(DataType.DOUBLE).reshape(actual.length());
        for (long i = 0; i < e.length(); i++) {
            double x = e.getDouble(i);
            double y = a.getDouble(i);
            assertEquals(x, y, tol * Math.max(1.0, Math.abs(x)), "element " + i);
        }
    }

    public static void assertGradOk(GradCheck.Result r) {
        assertTrue(r.passed(), r.toString());
    }
}
