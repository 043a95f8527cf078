package dev.tinygen.nn.ops;

import static dev.tinygen.nn.TestArrays.assertClose;
import static dev.tinygen.nn.TestArrays.assertGradOk;
import static dev.tinygen.nn.TestArrays.randn;
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

class CausalSelfAttentionTest {
    private final Rng rng = new Rng(11);

    /** The textbook loops: for each head and query position, softmax over earlier keys, weighted sum of values. */
    static INDArray naive(INDArray qkv, int nh) {
        int b = (int) qkv.size(0), t = (int) qkv.size(1), c = (int) qkv.size(2) / 3, hs = c / nh;
        INDArray out = Nd4j.zeros(DataType.DOUBLE, b, t, c);
        for (int bi = 0; bi < b; bi++)
            for (int h = 0; h < nh; h++)
                for (int i = 0; i < t; i++) {
                    double[] s = new double[i + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= i; j++) {
                        double d = 0;
                        for (int e = 0; e < hs; e++)
                            d += qkv.getDouble(bi, i, h * hs + e) * qkv.getDouble(bi, j, c + h * hs + e);
                        s[j] = d / Math.sqrt(hs);
                        max = Math.max(max, s[j]);
                    }
                    double z = 0;
                    for (int j = 0; j <= i; j++) z += (s[j] = Math.exp(s[j] - max));
                    for (int e = 0; e < hs; e++) {
                        double acc = 0;
                        for (int j = 0; j <= i; j++) acc += s[j] / z * qkv.getDouble(bi, j, 2 * c + h * hs + e);
                        out.putScalar(new int[] {bi, i, h * hs + e}, acc);
                    }
                }
        return out;
    }

    @Test
    void equalsNaiveLoopsAtSeveralShapes() {
        int[][] shapes = {{1, 1, 4, 1}, {2, 5, 8, 2}, {3, 7, 12, 3}, {2, 16, 32, 4}};
        for (int[] s : shapes) {
            INDArray qkv = randn(rng, s[0], s[1], 3L * s[2]);
            INDArray got = CausalSelfAttention.apply(Tensor.constant(qkv), s[3]).value();
            assertClose(naive(qkv, s[3]), got, 1e-12);
            INDArray got32 = CausalSelfAttention.apply(Tensor.constant(qkv.castTo(DataType.FLOAT)), s[3]).value();
            assertClose(naive(qkv, s[3]), got32, 1e-5);
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        for (int[] s : new int[][] {{2, 4, 6, 2}, {1, 6, 8, 4}, {2, 3, 3, 1}}) {
            INDArray qkv = randn(rng, s[0], s[1], 3L * s[2]);
            assertGradOk(GradCheck.check(in -> CausalSelfAttention.apply(in.get(0), s[3]), qkv));
        }
    }

    @Test
    void laterTokensNeverChangeEarlierOutputs() {
        INDArray qkv = randn(rng, 2, 9, 24);
        INDArray before = CausalSelfAttention.apply(Tensor.constant(qkv), 2).value();
        INDArray changed = qkv.dup();
        changed.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(6, 9),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).addi(5.0);
        INDArray after = CausalSelfAttention.apply(Tensor.constant(changed), 2).value();
        for (int i = 0; i < 6; i++)
            assertClose(before.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(i)),
                    after.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(i)), 1e-14);
        assertTrue(before.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(7))
                .sub(after.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(7)))
                .norm2Number().doubleValue() > 1e-3);
    }

    @Test
    void weightsAreCausalAndSumToOne() {
        INDArray w = CausalSelfAttention.weights(randn(rng, 2, 5, 12), 2);
        assertEquals(4, w.rank());
        for (int b = 0; b < 2; b++)
            for (int h = 0; h < 2; h++)
                for (int i = 0; i < 5; i++) {
                    double sum = 0;
                    for (int j = 0; j < 5; j++) {
                        double x = w.getDouble(b, h, i, j);
                        if (j > i) assertEquals(0.0, x, 0.0);
                        sum += x;
                    }
                    assertEquals(1.0, sum, 1e-12);
                }
    }

    @Test
    void dropoutIsSeededAndDifferentiable() {
        INDArray qkv = randn(rng, 2, 5, 12);
        INDArray a = CausalSelfAttention.apply(Tensor.constant(qkv), 2, 0.3, new Rng(5)).value();
        INDArray b = CausalSelfAttention.apply(Tensor.constant(qkv), 2, 0.3, new Rng(5)).value();
        assertClose(a, b, 0);
        assertTrue(a.sub(naive(qkv, 2)).norm2Number().doubleValue() > 1e-3);
        assertGradOk(GradCheck.check(in -> CausalSelfAttention.apply(in.get(0), 2, 0.3, new Rng(5)), qkv));
    }

    @Test
    void badShapesAreReported() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> CausalSelfAttention.apply(Tensor.constant(Nd4j.zeros(DataType.DOUBLE, 2, 4, 30)), 4));
        assertTrue(e.getMessage().contains("[2, 4, 30]"), e.getMessage());
    }
}
