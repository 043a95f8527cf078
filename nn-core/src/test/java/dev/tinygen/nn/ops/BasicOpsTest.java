package dev.tinygen.nn.ops;

import static dev.tinygen.nn.TestArrays.assertClose;
import static dev.tinygen.nn.TestArrays.assertGradOk;
import static dev.tinygen.nn.TestArrays.randn;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinygen.nn.GradCheck;
import dev.tinygen.nn.NoGrad;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BasicOpsTest {
    private final Rng rng = new Rng(7);

    @Test
    void elementwiseGradientsWithBroadcasting() {
        long[][][] pairs = {
            {{3, 4}, {3, 4}}, {{2, 3, 4}, {4}}, {{2, 3, 4}, {3, 1}}, {{3, 1}, {1, 4}}, {{2, 1, 4}, {2, 3, 1}}, {{5}, {}},
        };
        for (long[][] p : pairs) {
            INDArray a = randn(rng, p[0]);
            INDArray b = randn(rng, p[1]).addi(p[1].length == 0 ? 3 : 0);
            assertGradOk(GradCheck.check(in -> in.get(0).add(in.get(1)), a, b));
            assertGradOk(GradCheck.check(in -> in.get(0).sub(in.get(1)), a, b));
            assertGradOk(GradCheck.check(in -> in.get(0).mul(in.get(1)), a, b));
            INDArray away = Nd4j.math().abs(b).addi(0.5); // keep the divisor away from zero
            assertGradOk(GradCheck.check(in -> in.get(0).div(in.get(1)), a, away));
        }
    }

    @Test
    void incompatibleShapesNameBoth() {
        Tensor a = Tensor.constant(Nd4j.zeros(DataType.DOUBLE, 3, 4));
        Tensor b = Tensor.constant(Nd4j.zeros(DataType.DOUBLE, 5));
        var e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e.getMessage().contains("[3, 4]") && e.getMessage().contains("[5]"), e.getMessage());
    }

    static INDArray naiveMatmul(INDArray a, INDArray b, boolean ta, boolean tb) {
        INDArray x = ta ? a.transpose() : a;
        INDArray y = tb ? b.transpose() : b;
        long m = x.size(0), k = x.size(1), n = y.size(1);
        INDArray out = Nd4j.zeros(DataType.DOUBLE, m, n);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int q = 0; q < k; q++) s += x.getDouble(i, q) * y.getDouble(q, j);
                out.putScalar(i, j, s);
            }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void matmul2dAgainstLoopsAndGradient(boolean ta, boolean tb) {
        INDArray a = ta ? randn(rng, 5, 3) : randn(rng, 3, 5);
        INDArray b = tb ? randn(rng, 4, 5) : randn(rng, 5, 4);
        INDArray got = Tensor.constant(a).matmul(Tensor.constant(b), ta, tb).value();
        assertClose(naiveMatmul(a, b, ta, tb), got, 1e-12);
        assertGradOk(GradCheck.check(in -> in.get(0).matmul(in.get(1), ta, tb), a, b));
    }

    @ParameterizedTest
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void batchedMatmulRank3And4(boolean ta, boolean tb) {
        for (long[] batch : new long[][] {{2}, {2, 3}}) {
            long[] as = concat(batch, ta ? new long[] {5, 3} : new long[] {3, 5});
            long[] bs = concat(batch, tb ? new long[] {4, 5} : new long[] {5, 4});
            INDArray a = randn(rng, as);
            INDArray b = randn(rng, bs);
            INDArray got = Tensor.constant(a).matmul(Tensor.constant(b), ta, tb).value();
            INDArray a2 = a.reshape(-1, as[as.length - 2], as[as.length - 1]);
            INDArray b2 = b.reshape(-1, bs[bs.length - 2], bs[bs.length - 1]);
            INDArray g2 = got.reshape(-1, 3, 4);
            for (int i = 0; i < a2.size(0); i++)
                assertClose(naiveMatmul(a2.slice(i), b2.slice(i), ta, tb), g2.slice(i), 1e-12);
            assertGradOk(GradCheck.check(in -> in.get(0).matmul(in.get(1), ta, tb), a, b));
        }
    }

    @Test
    void rank3TimesMatrixActsPerRow() {
        INDArray a = randn(rng, 2, 3, 5);
        INDArray w = randn(rng, 5, 4);
        INDArray got = Tensor.constant(a).matmul(Tensor.constant(w)).value();
        assertClose(naiveMatmul(a.reshape(6, 5), w, false, false).reshape(2, 3, 4), got, 1e-12);
        assertGradOk(GradCheck.check(in -> in.get(0).matmul(in.get(1)), a, w));
        INDArray wt = randn(rng, 4, 5);
        assertGradOk(GradCheck.check(in -> in.get(0).matmul(in.get(1), false, true), a, wt));
    }

    @Test
    void matmulInnerMismatchIsReported() {
        Tensor a = Tensor.constant(Nd4j.zeros(DataType.DOUBLE, 3, 5));
        Tensor b = Tensor.constant(Nd4j.zeros(DataType.DOUBLE, 4, 2));
        var e = assertThrows(IllegalArgumentException.class, () -> a.matmul(b));
        assertTrue(e.getMessage().contains("5 vs 4"), e.getMessage());
    }

    @Test
    void shapeOpsAndSums() {
        INDArray x = randn(rng, 2, 3, 4);
        assertGradOk(GradCheck.check(in -> in.get(0).reshape(6, 4), x));
        assertGradOk(GradCheck.check(in -> in.get(0).reshape(-1), x));
        assertGradOk(GradCheck.check(in -> in.get(0).permute(2, 0, 1), x));
        assertGradOk(GradCheck.check(in -> in.get(0).transpose(0, -1).mul(in.get(0).transpose(0, 2)), x));
        assertGradOk(GradCheck.check(in -> in.get(0).sum(), x));
        assertGradOk(GradCheck.check(in -> in.get(0).sum(false, 1), x));
        assertGradOk(GradCheck.check(in -> in.get(0).sum(true, 0, 2), x));
        assertClose(Nd4j.scalar(x.sumNumber().doubleValue()), Tensor.constant(x).sum().value(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Tensor.constant(x).reshape(5, 5));
        assertThrows(IllegalArgumentException.class, () -> Tensor.constant(x).permute(0, 0, 1));
    }

    @Test
    void sharedSubexpressionAccumulatesAndNoGradRecordsNothing() {
        Tensor x = Tensor.variable(Nd4j.create(new double[] {1, 2, 3}));
        Tensor y = x.mul(x).add(x).sum(); // d/dx = 2x + 1
        y.backward();
        assertClose(Nd4j.create(new double[] {3, 5, 7}), x.grad(), 1e-15);
        try (NoGrad ignored = NoGrad.scope()) {
            Tensor z = x.mul(x);
            assertTrue(!z.requiresGrad() && z.creator() == null);
        }
        assertTrue(x.mul(x).requiresGrad());
    }

    private static long[] concat(long[] a, long[] b) {
        long[] r = new long[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
