package dev.tinygen.nn.ops;

import static dev.tinygen.nn.TestArrays.assertClose;
import static dev.tinygen.nn.TestArrays.assertGradOk;
import static dev.tinygen.nn.TestArrays.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import dev.tinygen.nn.GradCheck;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ShapeOpsTest {
    private final Rng rng = new Rng(31);

    /** Elements of a rank-3 array with index {@code k} along {@code axis} in [from, to), copied by loops. */
    private static INDArray naiveSlice(INDArray x, int axis, long from, long to) {
        long[] s = x.shape().clone();
        s[axis] = to - from;
        INDArray out = Nd4j.zeros(DataType.DOUBLE, s);
        for (int i = 0; i < s[0]; i++)
            for (int j = 0; j < s[1]; j++)
                for (int k = 0; k < s[2]; k++) {
                    long[] src = {i, j, k};
                    src[axis] += from;
                    out.putScalar(new long[] {i, j, k}, x.getDouble(src));
                }
        return out;
    }

    @Test
    void sliceMatchesLoopsAlongEveryAxis() {
        INDArray x = randn(rng, 3, 5, 4);
        long[][] ranges = {{0, 1}, {1, 3}, {0, 3}, {2, 3}};
        for (int axis = 0; axis < 3; axis++) {
            for (long[] r : ranges) {
                int a = axis;
                Tensor y = Slice.apply(Tensor.constant(x), axis, r[0], r[1]);
                assertClose(naiveSlice(x, axis, r[0], r[1]), y.value(), 0);
                assertGradOk(GradCheck.check(in -> Slice.apply(in.get(0), a, r[0], r[1]), x));
            }
        }
        assertClose(naiveSlice(x, 2, 1, 4), Slice.apply(Tensor.constant(x), -1, 1, 4).value(), 0);
        INDArray permuted = x.permute(2, 0, 1);                                   // (4, 3, 5)
        assertClose(naiveSlice(permuted.dup(), 2, 1, 4), Slice.apply(Tensor.constant(permuted), 2, 1, 4).value(), 0);
        assertGradOk(GradCheck.check(in -> Slice.apply(in.get(0).permute(2, 0, 1), 2, 1, 4), x));
    }

    @Test
    void badSliceRangesAreNamed() {
        Tensor x = Tensor.constant(Nd4j.zeros(DataType.DOUBLE, 2, 4));
        var e = assertThrows(IllegalArgumentException.class, () -> Slice.apply(x, 1, 3, 5));
        assertTrue(e.getMessage().contains("slice") && e.getMessage().contains("[3, 5)") && e.getMessage().contains("size 4")
                && e.getMessage().contains("[2, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Slice.apply(x, 1, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Slice.apply(x, 0, -1, 1));
        var a = assertThrows(IllegalArgumentException.class, () -> Slice.apply(x, 2, 0, 1));
        assertTrue(a.getMessage().contains("axis 2") && a.getMessage().contains("rank 2"), a.getMessage());
    }

    @Test
    void concatMatchesLoopsAndSplitsTheGradient() {
        INDArray a = randn(rng, 2, 1, 3);
        INDArray b = randn(rng, 2, 4, 3);
        INDArray c = randn(rng, 2, 2, 3);
        INDArray y = Concat.apply(1, Tensor.constant(a), Tensor.constant(b), Tensor.constant(c)).value();
        assertArrayEquals(new long[] {2, 7, 3}, y.shape());
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 7; j++)
                for (int k = 0; k < 3; k++) {
                    double want = j < 1 ? a.getDouble(i, j, k) : j < 5 ? b.getDouble(i, j - 1, k) : c.getDouble(i, j - 5, k);
                    assertEquals(want, y.getDouble(i, j, k), 0, "element " + i + "," + j + "," + k);
                }
        assertGradOk(GradCheck.check(in -> Concat.apply(1, in.get(0), in.get(1), in.get(2)), a, b, c));
        INDArray p = randn(rng, 2, 3, 2);
        assertGradOk(GradCheck.check(in -> Concat.apply(-1, in.get(0), in.get(1).permute(0, 2, 1)), p, c));
        assertGradOk(GradCheck.check(in -> Concat.apply(0, in.get(0)), a));

        Tensor x = Tensor.variable(Nd4j.create(new double[] {1, 2}));
        Concat.apply(0, x, Tensor.constant(Nd4j.create(new double[] {9})), x).backward(Nd4j.create(new double[] {1, 2, 3, 4, 5}));
        assertClose(Nd4j.create(new double[] {1 + 4, 2 + 5}), x.grad(), 0);
    }

    @Test
    void badConcatInputsAreNamed() {
        Tensor a = Tensor.constant(Nd4j.zeros(DataType.DOUBLE, 2, 3));
        Tensor b = Tensor.constant(Nd4j.zeros(DataType.DOUBLE, 4, 5));
        var e = assertThrows(IllegalArgumentException.class, () -> Concat.apply(0, a, b));
        assertTrue(e.getMessage().contains("concat") && e.getMessage().contains("input 1") && e.getMessage().contains("[4, 5]")
                && e.getMessage().contains("[2, 3]"), e.getMessage());
        var t = assertThrows(IllegalArgumentException.class,
                () -> Concat.apply(0, a, Tensor.constant(Nd4j.zeros(DataType.FLOAT, 1, 3))));
        assertTrue(t.getMessage().contains("DOUBLE") && t.getMessage().contains("FLOAT"), t.getMessage());
        var n = assertThrows(IllegalArgumentException.class, () -> Concat.apply(0));
        assertTrue(n.getMessage().contains("concat") && n.getMessage().contains("none"), n.getMessage());
    }

    @Test
    void splitPiecesAreSlicesAndUnusedPiecesTakeNoGradient() {
        INDArray v = randn(rng, 2, 6, 3);
        Tensor x = Tensor.variable(v);
        List<Tensor> parts = Split.apply(x, 1, 2, 3, 1);
        assertEquals(3, parts.size());
        assertClose(naiveSlice(v, 1, 0, 2), parts.get(0).value(), 0);
        assertClose(naiveSlice(v, 1, 2, 5), parts.get(1).value(), 0);
        assertClose(naiveSlice(v, 1, 5, 6), parts.get(2).value(), 0);
        parts.get(0).sum().add(parts.get(2).sum().mul(Tensor.scalar(3, DataType.DOUBLE))).backward();
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 6; j++)
                for (int k = 0; k < 3; k++)
                    assertEquals(j < 2 ? 1 : j == 5 ? 3 : 0, x.grad().getDouble(i, j, k), 0, "element " + i + "," + j + "," + k);

        assertGradOk(GradCheck.check(in -> {
            List<Tensor> p = Split.apply(in.get(0), -2, 2, 3, 1);
            return Concat.apply(1, p.get(2), p.get(0));                          // middle piece unused
        }, v));
        List<Tensor> qkv = Split.chunks(Tensor.constant(v), 1, 3);
        for (int i = 0; i < 3; i++) assertClose(naiveSlice(v, 1, 2L * i, 2L * i + 2), qkv.get(i).value(), 0);
    }

    @Test
    void badSplitSizesAreNamed() {
        Tensor x = Tensor.constant(Nd4j.zeros(DataType.DOUBLE, 4, 6));
        var e = assertThrows(IllegalArgumentException.class, () -> Split.apply(x, 1, 2, 3));
        assertTrue(e.getMessage().contains("split") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("add up to 5")
                && e.getMessage().contains("size 6"), e.getMessage());
        var z = assertThrows(IllegalArgumentException.class, () -> Split.apply(x, 1, 6, 0));
        assertTrue(z.getMessage().contains("positive") && z.getMessage().contains("[6, 0]"), z.getMessage());
        var c = assertThrows(IllegalArgumentException.class, () -> Split.chunks(x, 1, 4));
        assertTrue(c.getMessage().contains("size 6") && c.getMessage().contains("4 equal parts"), c.getMessage());
    }

    /** (T, T) with true above the diagonal: the positions a causal attention must not see. */
    private static INDArray causal(int t) {
        boolean[] m = new boolean[t * t];
        for (int i = 0; i < t; i++) for (int j = 0; j < t; j++) m[i * t + j] = j > i;
        return Nd4j.create(m, new long[] {t, t}, DataType.BOOL);
    }

    @Test
    void maskedFillWithMinusInfinityAgainstLoops() {
        INDArray s = randn(rng, 2, 3, 4, 4);                                     // (B, nh, T, T)
        s.putScalar(new long[] {0, 0, 0, 3}, Double.POSITIVE_INFINITY);          // masked anyway: must still give -inf
        Tensor x = Tensor.variable(s);
        Tensor y = MaskedFill.apply(x, causal(4), Double.NEGATIVE_INFINITY);
        for (int b = 0; b < 2; b++)
            for (int h = 0; h < 3; h++)
                for (int i = 0; i < 4; i++)
                    for (int j = 0; j < 4; j++) {
                        double want = j > i ? Double.NEGATIVE_INFINITY : s.getDouble(b, h, i, j);
                        assertEquals(want, y.value().getDouble(b, h, i, j), 0, "element " + b + "," + h + "," + i + "," + j);
                    }
        y.backward(Nd4j.ones(DataType.DOUBLE, 2, 3, 4, 4));
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++) assertEquals(j > i ? 0 : 1, x.grad().getDouble(1, 2, i, j), 0, "grad " + i + "," + j);

        INDArray v = randn(rng, 2, 4, 4);
        assertGradOk(GradCheck.check(in -> Exp.apply(MaskedFill.apply(in.get(0), causal(4), Double.NEGATIVE_INFINITY)), v));
    }

    @Test
    void maskedFillWithNumericBroadcastMasks() {
        INDArray x = randn(rng, 3, 2, 4);
        INDArray mask = Nd4j.create(new double[] {1, 0, 0, 0.5, 0, 1, 0, 0, 0, 0, 0, 1}, new long[] {3, 1, 4}, DataType.DOUBLE);
        INDArray y = MaskedFill.apply(Tensor.constant(x), mask, 7.5).value();
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 2; j++)
                for (int k = 0; k < 4; k++) {
                    double want = mask.getDouble(i, 0, k) != 0 ? 7.5 : x.getDouble(i, j, k);
                    assertEquals(want, y.getDouble(i, j, k), 0);
                }
        assertGradOk(GradCheck.check(in -> MaskedFill.apply(in.get(0), mask, -2), x));
        INDArray view = randn(rng, 4, 2, 3).permute(2, 1, 0);                   // (3, 2, 4), strided
        INDArray yv = MaskedFill.apply(Tensor.constant(view), mask, 7.5).value();
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 2; j++)
                for (int k = 0; k < 4; k++)
                    assertEquals(mask.getDouble(i, 0, k) != 0 ? 7.5 : view.getDouble(i, j, k), yv.getDouble(i, j, k), 0);
        INDArray row = Nd4j.create(new float[] {0, 1, 0, 0}, new long[] {4}, DataType.FLOAT);
        assertGradOk(GradCheck.check(in -> MaskedFill.apply(in.get(0), Tensor.constant(row), 0), x));
        Tensor x32 = Tensor.constant(x.castTo(DataType.FLOAT));
        assertClose(MaskedFill.apply(Tensor.constant(x), row, -1e9).value(), MaskedFill.apply(x32, row, -1e9).value(), 1e-6);
    }

    @Test
    void maskThatDoesNotFitIsNamed() {
        Tensor x = Tensor.constant(Nd4j.zeros(DataType.DOUBLE, 2, 4));
        var e = assertThrows(IllegalArgumentException.class, () -> MaskedFill.apply(x, causal(3), 0));
        assertTrue(e.getMessage().contains("maskedFill") && e.getMessage().contains("[3, 3]") && e.getMessage().contains("[2, 4]"),
                e.getMessage());
        var g = assertThrows(IllegalArgumentException.class, () -> MaskedFill.apply(x, Nd4j.zeros(DataType.DOUBLE, 3, 2, 4), 0));
        assertTrue(g.getMessage().contains("[3, 2, 4]") && g.getMessage().contains("does not broadcast to the input's shape [2, 4]"),
                g.getMessage());
    }
}
