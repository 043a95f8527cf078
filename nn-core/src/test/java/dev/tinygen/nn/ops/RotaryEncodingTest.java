package dev.tinygen.nn.ops;

import static dev.tinygen.nn.TestArrays.assertClose;
import static dev.tinygen.nn.TestArrays.assertGradOk;
import static dev.tinygen.nn.TestArrays.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tinygen.nn.GradCheck;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class RotaryEncodingTest {
    private final Rng rng = new Rng(3);

    static INDArray naive(INDArray qkv, int nh, long offset) {
        int b = (int) qkv.size(0), t = (int) qkv.size(1), c = (int) qkv.size(2) / 3, hs = c / nh;
        INDArray out = qkv.dup();
        for (int bi = 0; bi < b; bi++)
            for (int p = 0; p < t; p++)
                for (int part = 0; part < 2; part++)
                    for (int h = 0; h < nh; h++)
                        for (int i = 0; i < hs / 2; i++) {
                            int j = part * c + h * hs + 2 * i;
                            double x0 = qkv.getDouble(bi, p, j), x1 = qkv.getDouble(bi, p, j + 1);
                            double a = (p + offset) / Math.pow(10000, 2.0 * i / hs);
                            out.putScalar(new int[] {bi, p, j}, x0 * Math.cos(a) - x1 * Math.sin(a));
                            out.putScalar(new int[] {bi, p, j + 1}, x0 * Math.sin(a) + x1 * Math.cos(a));
                        }
        return out;
    }

    @Test
    void equalsNaiveRotationAndGradient() {
        INDArray qkv = randn(rng, 2, 5, 24);
        for (long offset : new long[] {0, 3}) {
            assertClose(naive(qkv, 2, offset), RotaryEncoding.apply(Tensor.constant(qkv), 2, offset).value(), 1e-12);
            assertGradOk(GradCheck.check(in -> RotaryEncoding.apply(in.get(0), 2, offset), qkv));
        }
    }

    @Test
    void scoresDependOnlyOnRelativePosition() {
        // q at position p and k at position s: the rotated dot product depends on p - s only.
        INDArray qkv = randn(rng, 1, 1, 12).repeat(1, 6);                     // same vector at 6 positions
        INDArray r = RotaryEncoding.apply(Tensor.constant(qkv.reshape(1, 6, 12)), 1, 0).value();
        double d01 = r.get(NDArrayIndex.point(0), NDArrayIndex.point(1), NDArrayIndex.interval(0, 4))
                .mul(r.get(NDArrayIndex.point(0), NDArrayIndex.point(0), NDArrayIndex.interval(4, 8))).sumNumber().doubleValue();
        double d45 = r.get(NDArrayIndex.point(0), NDArrayIndex.point(5), NDArrayIndex.interval(0, 4))
                .mul(r.get(NDArrayIndex.point(0), NDArrayIndex.point(4), NDArrayIndex.interval(4, 8))).sumNumber().doubleValue();
        assertEquals(d01, d45, 1e-12);
    }

    @Test
    void oddHeadSizeIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> RotaryEncoding.apply(Tensor.constant(Nd4j.zeros(DataType.DOUBLE, 1, 2, 9)), 1, 0));
    }
}
