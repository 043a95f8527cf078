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

class SoftmaxTest {
    private static final long[][] SHAPES = {{7}, {3, 5}, {2, 3, 4}, {2, 2, 3, 3}};
    private final Rng rng = new Rng(11);

    /** Softmax or log-softmax along {@code axis} by loops over doubles, on a copy with that axis moved last. */
    static INDArray naive(INDArray x, int axis, boolean log) {
        int r = x.rank();
        int[] order = new int[r];
        int[] inverse = new int[r];
        for (int i = 0, k = 0; i < r; i++) if (i != axis) order[k++] = i;
        order[r - 1] = axis;
        for (int i = 0; i < r; i++) inverse[order[i]] = i;
        INDArray moved = x.castTo(DataType.DOUBLE).permute(order).dup('c');
        int n = (int) x.size(axis);
        double[] v = moved.data().asDouble();
        for (int base = 0; base < v.length; base += n) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) max = Math.max(max, v[base + j]);
            double s = 0;
            for (int j = 0; j < n; j++) s += Math.exp(v[base + j] - max);
            for (int j = 0; j < n; j++)
                v[base + j] = log ? v[base + j] - max - Math.log(s) : Math.exp(v[base + j] - max) / s;
        }
        return Nd4j.create(v, moved.shape(), DataType.DOUBLE).permute(inverse).dup('c');
    }

    @Test
    void valuesMatchLoopsAlongEveryAxis() {
        for (long[] shape : SHAPES) {
            INDArray x = randn(rng, shape).muli(3);
            for (int axis = 0; axis < shape.length; axis++) {
                assertClose(naive(x, axis, false), Softmax.apply(Tensor.constant(x), axis).value(), 1e-12);
                assertClose(naive(x, axis, true), LogSoftmax.apply(Tensor.constant(x), axis).value(), 1e-12);
            }
            int last = shape.length - 1;
            assertClose(naive(x, last, false), Softmax.apply(Tensor.constant(x)).value(), 1e-12);
            assertClose(naive(x, last, true), LogSoftmax.apply(Tensor.constant(x)).value(), 1e-12);
        }
    }

    @Test
    void float32MatchesFloat64() {
        INDArray x = randn(rng, 4, 6, 9).muli(3);
        INDArray x32 = x.castTo(DataType.FLOAT);
        for (int axis : new int[] {0, 1, -1}) {
            Tensor s = Softmax.apply(Tensor.constant(x32), axis);
            Tensor l = LogSoftmax.apply(Tensor.constant(x32), axis);
            assertEquals(DataType.FLOAT, s.dtype());
            assertEquals(DataType.FLOAT, l.dtype());
            assertClose(Softmax.apply(Tensor.constant(x), axis).value(), s.value(), 1e-5);
            assertClose(LogSoftmax.apply(Tensor.constant(x), axis).value(), l.value(), 1e-5);
        }
    }

    @Test
    void gradientsAlongEveryAxis() {
        for (long[] shape : SHAPES) {
            INDArray x = randn(rng, shape);
            for (int axis = 0; axis < shape.length; axis++) {
                int a = axis;
                assertGradOk(GradCheck.check(in -> Softmax.apply(in.get(0), a), x));
                assertGradOk(GradCheck.check(in -> LogSoftmax.apply(in.get(0), a), x));
            }
        }
    }

    @Test
    void gradientOnAViewInput() {
        INDArray x = randn(rng, 5, 4);
        assertGradOk(GradCheck.check(in -> Softmax.apply(in.get(0).transpose(0, 1), -1), x));
        assertGradOk(GradCheck.check(in -> LogSoftmax.apply(in.get(0).permute(1, 0), 0), x));
    }

    @Test
    void largeAndTinyInputsStayFinite() {
        INDArray x = Nd4j.create(new double[][] {{1000, 0, -1000}, {-1e4, -1e4 - 1, -1e4 - 2}});
        INDArray log = LogSoftmax.apply(Tensor.constant(x)).value();
        assertClose(naive(x, 1, true), log, 1e-12);
        assertEquals(-2000.0, log.getDouble(0, 2), 1e-9);
        INDArray p = Softmax.apply(Tensor.constant(x.castTo(DataType.FLOAT))).value();
        assertClose(naive(x, 1, false), p, 1e-6);
        assertTrue(p.castTo(DataType.DOUBLE).sum(1).sub(1).amaxNumber().doubleValue() < 1e-6);
        INDArray log32 = LogSoftmax.apply(Tensor.constant(x.castTo(DataType.FLOAT))).value();
        assertEquals(-2000.0, log32.getDouble(0, 2), 1e-3);
    }

    @Test
    void badAxisAndTypeAreReported() {
        Tensor x = Tensor.constant(Nd4j.zeros(DataType.DOUBLE, 2, 3));
        var e = assertThrows(IllegalArgumentException.class, () -> Softmax.apply(x, 2));
        assertTrue(e.getMessage().contains("softmax") && e.getMessage().contains("axis 2")
                && e.getMessage().contains("rank 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LogSoftmax.apply(x, -3));
        assertTrue(e.getMessage().contains("logSoftmax") && e.getMessage().contains("axis -3"), e.getMessage());
        Tensor ints = Tensor.constant(Nd4j.zeros(DataType.INT, 2, 3));
        e = assertThrows(IllegalArgumentException.class, () -> Softmax.apply(ints));
        assertTrue(e.getMessage().contains("INT"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LogSoftmax.apply(ints));
        assertTrue(e.getMessage().contains("INT"), e.getMessage());
    }
}
