package dev.tinygen.nn.ops;

import static dev.tinygen.nn.TestArrays.assertClose;
import static dev.tinygen.nn.TestArrays.assertGradOk;
import static dev.tinygen.nn.TestArrays.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

class ReductionOpsTest {
    private final Rng rng = new Rng(23);

    /** Index of element {@code flat} (row-major) of {@code shape} in the reduced array whose {@code reduced} axes are 1. */
    private static int outIndex(long[] shape, boolean[] reduced, int flat) {
        int out = 0;
        int rem = flat;
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = (int) (rem % shape[d]);
            rem /= (int) shape[d];
        }
        for (int d = 0; d < shape.length; d++) out = out * (reduced[d] ? 1 : (int) shape[d]) + (reduced[d] ? 0 : idx[d]);
        return out;
    }

    private static long[] keptShape(long[] shape, boolean[] reduced) {
        long[] k = shape.clone();
        for (int d = 0; d < k.length; d++) if (reduced[d]) k[d] = 1;
        return k;
    }

    private static boolean[] reducedAxes(int rank, int... axes) {
        boolean[] r = new boolean[rank];
        if (axes.length == 0) java.util.Arrays.fill(r, true);
        for (int a : axes) r[a < 0 ? a + rank : a] = true;
        return r;
    }

    private static INDArray naiveMean(INDArray x, boolean[] reduced) {
        long[] kept = keptShape(x.shape(), reduced);
        double[] v = x.dup('c').data().asDouble();
        int outLen = (int) java.util.Arrays.stream(kept).reduce(1, (a, b) -> a * b);
        double[] sum = new double[outLen];
        for (int i = 0; i < v.length; i++) sum[outIndex(x.shape(), reduced, i)] += v[i];
        for (int o = 0; o < outLen; o++) sum[o] /= (double) v.length / outLen;
        return Nd4j.create(sum, kept, DataType.DOUBLE);
    }

    @Test
    void meanMatchesLoopsAndFiniteDifferences() {
        INDArray x = randn(rng, 2, 3, 4);
        int[][] axesList = {{}, {0}, {1}, {2}, {-1}, {0, 2}, {2, 0}, {0, 1, 2}};
        for (int[] axes : axesList) {
            INDArray kept = naiveMean(x, reducedAxes(3, axes));
            INDArray withDims = Mean.apply(Tensor.constant(x), true, axes).value();
            assertClose(kept, withDims, 1e-14);
            INDArray dropped = axes.length == 0 ? Mean.all(Tensor.constant(x)).value()
                    : Mean.apply(Tensor.constant(x), false, axes).value();
            long[] expectShape = new long[0];
            boolean[] red = reducedAxes(3, axes);
            for (int d = 0; d < 3; d++) if (!red[d]) expectShape = append(expectShape, x.size(d));
            assertArrayEquals(expectShape, dropped.shape(), "axes " + java.util.Arrays.toString(axes));
            assertClose(kept.reshape(expectShape), dropped, 1e-14);
            assertGradOk(GradCheck.check(in -> Mean.apply(in.get(0), false, axes), x));
            assertGradOk(GradCheck.check(in -> Mean.apply(in.get(0), true, axes), x));
        }
        assertGradOk(GradCheck.check(in -> Mean.all(in.get(0)), randn(rng, 5)));
        Tensor v = Tensor.variable(Nd4j.create(new double[] {1, 2, 3, 6}));
        Mean.all(v).backward();
        assertClose(Nd4j.create(new double[] {0.25, 0.25, 0.25, 0.25}), v.grad(), 0);
    }

    @Test
    void meanFloat32MatchesFloat64AndBadAxesAreNamed() {
        INDArray x = randn(rng, 3, 5, 7);
        assertClose(Mean.apply(Tensor.constant(x), false, 1).value(),
                Mean.apply(Tensor.constant(x.castTo(DataType.FLOAT)), false, 1).value(), 1e-6);
        Tensor t = Tensor.constant(x);
        var e = assertThrows(IllegalArgumentException.class, () -> Mean.apply(t, false, 3));
        assertTrue(e.getMessage().contains("mean") && e.getMessage().contains("axis 3") && e.getMessage().contains("rank 3"),
                e.getMessage());
        var d = assertThrows(IllegalArgumentException.class, () -> Mean.apply(t, false, 1, -2));
        assertTrue(d.getMessage().contains("mean") && d.getMessage().contains("axis 1 is listed twice"), d.getMessage());
    }

    /** Max along one axis by loops: values and the first index of the maximum. */
    private static double[][] naiveMax(INDArray x, int axis) {
        long[] s = x.shape();
        boolean[] red = reducedAxes(s.length, axis);
        int outLen = (int) (x.length() / s[axis]);
        double[] max = new double[outLen];
        double[] arg = new double[outLen];
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        java.util.Arrays.fill(arg, -1);
        double[] v = x.dup('c').data().asDouble();
        long stride = 1;
        for (int d = axis + 1; d < s.length; d++) stride *= s[d];
        for (int i = 0; i < v.length; i++) {
            int o = outIndex(s, red, i);
            long k = (i / stride) % s[axis];
            if (v[i] > max[o]) {
                max[o] = v[i];
                arg[o] = k;
            }
        }
        return new double[][] {max, arg};
    }

    @Test
    void maxMatchesLoopsAndRoutesTheGradientToTheArgmax() {
        INDArray x = randn(rng, 3, 4, 5);
        for (int axis = -1; axis < 3; axis++) {
            int a = axis < 0 ? axis + 3 : axis;
            double[][] ref = naiveMax(x, a);
            long[] kept = keptShape(x.shape(), reducedAxes(3, a));
            Tensor xt = Tensor.variable(x);
            Tensor y = Max.apply(xt, axis, true);
            assertClose(Nd4j.create(ref[0], kept, DataType.DOUBLE), y.value(), 0);
            INDArray dy = randn(rng, kept);
            y.backward(dy);
            // expected gradient: dy at the argmax position of each reduced line
            double[] dyv = dy.dup('c').data().asDouble();
            long stride = 1;
            for (int d = a + 1; d < 3; d++) stride *= x.size(d);
            double[] g = new double[(int) x.length()];
            for (int i = 0; i < g.length; i++) {
                int o = outIndex(x.shape(), reducedAxes(3, a), i);
                if ((i / stride) % x.size(a) == (long) ref[1][o]) g[i] = dyv[o];
            }
            assertClose(Nd4j.create(g, x.shape(), DataType.DOUBLE), xt.grad(), 0);
            int ax = axis;
            assertGradOk(GradCheck.check(in -> Max.apply(in.get(0), ax), x));
            assertGradOk(GradCheck.check(in -> Max.apply(in.get(0), ax, true), x));
        }
        INDArray y32 = Max.apply(Tensor.constant(x.castTo(DataType.FLOAT)), 1).value();
        assertEquals(DataType.FLOAT, y32.dataType());
        assertClose(Max.apply(Tensor.constant(x), 1).value(), y32, 1e-7);
    }

    @Test
    void maxTiesGoToTheFirstAndNanWins() {
        Tensor x = Tensor.variable(Nd4j.create(new double[][] {{1, 3, 3, 2}, {5, 5, 5, 5}, {-1, Double.NaN, 4, Double.NaN}}));
        Tensor y = Max.apply(x, 1);
        assertArrayEquals(new long[] {3}, y.shape());
        assertEquals(3, y.value().getDouble(0));
        assertEquals(5, y.value().getDouble(1));
        assertTrue(Double.isNaN(y.value().getDouble(2)));
        y.backward(Nd4j.create(new double[] {10, 20, 30}));
        assertClose(Nd4j.create(new double[][] {{0, 10, 0, 0}, {20, 0, 0, 0}, {0, 30, 0, 0}}), x.grad(), 0);

        Tensor col = Tensor.variable(Nd4j.create(new double[][] {{7, 1}, {7, 2}}));
        Max.apply(col, 0, true).backward(Nd4j.create(new double[][] {{1, 1}}));
        assertClose(Nd4j.create(new double[][] {{1, 0}, {0, 1}}), col.grad(), 0);
    }

    @Test
    void maxOfAVectorIsAScalarAndBadAxesAreNamed() {
        Tensor v = Tensor.variable(Nd4j.create(new double[] {2, 9, 4}));
        Tensor m = Max.apply(v, 0);
        assertEquals(0, m.rank());
        assertEquals(9, m.item());
        m.backward();
        assertClose(Nd4j.create(new double[] {0, 1, 0}), v.grad(), 0);
        Tensor t = Tensor.constant(Nd4j.zeros(DataType.DOUBLE, 2, 3));
        var e = assertThrows(IllegalArgumentException.class, () -> Max.apply(t, -3));
        assertTrue(e.getMessage().contains("max") && e.getMessage().contains("axis -3") && e.getMessage().contains("rank 2"),
                e.getMessage());
        var s = assertThrows(IllegalArgumentException.class, () -> Max.apply(Tensor.scalar(1, DataType.DOUBLE), 0));
        assertTrue(s.getMessage().contains("max") && s.getMessage().contains("scalar"), s.getMessage());
    }

    private static long[] append(long[] a, long v) {
        long[] r = java.util.Arrays.copyOf(a, a.length + 1);
        r[a.length] = v;
        return r;
    }
}
