package dev.tinygen.nn.ops;

import static dev.tinygen.nn.TestArrays.assertClose;
import static dev.tinygen.nn.TestArrays.assertGradOk;
import static dev.tinygen.nn.TestArrays.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinygen.nn.GradCheck;
import dev.tinygen.nn.NoGrad;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BatchNormTest {
    private static final long[][] SHAPES = {{5, 3}, {4, 3, 2, 3}};
    private final Rng rng = new Rng(31);

    /** Per-channel statistics by loops over doubles: index (n, c, s) of x read as (N, C, S). */
    record Stats(double[] mean, double[] biasedVar, double[] unbiasedVar) {}

    static Stats naiveStats(INDArray x) {
        int n = (int) x.size(0), c = (int) x.size(1);
        int s = (int) (x.length() / n / c);
        double[] v = x.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] mean = new double[c], biased = new double[c], unbiased = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int i = 0; i < n; i++) for (int k = 0; k < s; k++) sum += v[(i * c + ch) * s + k];
            double m = sum / (n * s);
            double sq = 0;
            for (int i = 0; i < n; i++) for (int k = 0; k < s; k++) sq += Math.pow(v[(i * c + ch) * s + k] - m, 2);
            mean[ch] = m;
            biased[ch] = sq / (n * s);
            unbiased[ch] = sq / (n * s - 1);
        }
        return new Stats(mean, biased, unbiased);
    }

    /** y = (x - mean_c) / sqrt(var_c + eps) * g_c + b_c by loops, for given per-channel statistics. */
    static INDArray naive(INDArray x, double[] mean, double[] var, INDArray g, INDArray b, double eps) {
        int n = (int) x.size(0), c = (int) x.size(1);
        int s = (int) (x.length() / n / c);
        double[] v = x.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] out = new double[v.length];
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
                for (int k = 0; k < s; k++) {
                    int at = (i * c + ch) * s + k;
                    out[at] = (v[at] - mean[ch]) / Math.sqrt(var[ch] + eps) * g.getDouble(ch) + b.getDouble(ch);
                }
        return Nd4j.create(out, x.shape(), DataType.DOUBLE);
    }

    private static Tensor bn(INDArray x, INDArray g, INDArray b, INDArray rm, INDArray rv, boolean training) {
        return BatchNorm.apply(Tensor.constant(x), Tensor.constant(g), Tensor.constant(b), rm, rv, training, 0.1, 1e-5);
    }

    @Test
    void trainingModeNormalisesByTheBatchStatistics() {
        for (long[] shape : SHAPES) {
            INDArray x = randn(rng, shape).muli(3).addi(2);
            INDArray g = randn(rng, 3);
            INDArray b = randn(rng, 3);
            Stats st = naiveStats(x);
            assertClose(naive(x, st.mean(), st.biasedVar(), g, b, 1e-5), bn(x, g, b, null, null, true).value(), 1e-12);
            INDArray y = bn(x, Nd4j.ones(DataType.DOUBLE, 3), Nd4j.zeros(DataType.DOUBLE, 3), null, null, true).value();
            Stats out = naiveStats(y);  // with unit gain and zero bias each channel comes out with mean 0, variance ~1
            for (int ch = 0; ch < 3; ch++) {
                assertEquals(0, out.mean()[ch], 1e-12);
                assertEquals(1, out.biasedVar()[ch], 1e-4);
            }
        }
    }

    @Test
    void evalModeNormalisesByTheRunningStatisticsAndLeavesThemAlone() {
        for (long[] shape : SHAPES) {
            INDArray x = randn(rng, shape).muli(3).addi(2);
            INDArray g = randn(rng, 3);
            INDArray b = randn(rng, 3);
            INDArray rm = Nd4j.create(new double[] {0.5, -1, 2});
            INDArray rv = Nd4j.create(new double[] {4, 0.25, 1});
            INDArray y = bn(x, g, b, rm, rv, false).value();
            assertClose(naive(x, new double[] {0.5, -1, 2}, new double[] {4, 0.25, 1}, g, b, 1e-5), y, 1e-12);
            assertClose(Nd4j.create(new double[] {0.5, -1, 2}), rm, 0);
            assertClose(Nd4j.create(new double[] {4, 0.25, 1}), rv, 0);
            // One example in eval mode is fine: nothing is estimated from the batch.
            INDArray one = x.slice(0).reshape(shape.length == 2 ? new long[] {1, 3} : new long[] {1, 3, 2, 3});
            assertClose(naive(one, rm.toDoubleVector(), rv.toDoubleVector(), g, b, 1e-5), bn(one, g, b, rm, rv, false).value(), 1e-12);
        }
    }

    @Test
    void runningStatisticsFollowTheHandLoopOverThreeSteps() {
        for (long[] shape : SHAPES) {
            INDArray rm = Nd4j.zeros(DataType.FLOAT, 3);
            INDArray rv = Nd4j.ones(DataType.FLOAT, 3);
            double[] em = {0, 0, 0};
            double[] ev = {1, 1, 1};
            for (int step = 0; step < 3; step++) {
                INDArray x = randn(rng, shape).muli(2 + step).addi(step - 1).castTo(DataType.FLOAT);
                Stats st = naiveStats(x);
                Tensor xt = Tensor.variable(x);
                // Under no-grad too, as PyTorch: the statistics move whenever the layer runs in training mode.
                try (NoGrad ignored = step == 1 ? NoGrad.scope() : null) {
                    BatchNorm.apply(xt, Tensor.constant(Nd4j.ones(DataType.FLOAT, 3)), Tensor.constant(Nd4j.zeros(DataType.FLOAT, 3)),
                            rm, rv, true, 0.1, 1e-5);
                }
                for (int ch = 0; ch < 3; ch++) {
                    em[ch] = 0.9 * em[ch] + 0.1 * st.mean()[ch];
                    ev[ch] = 0.9 * ev[ch] + 0.1 * st.unbiasedVar()[ch];
                }
            }
            assertClose(Nd4j.create(em), rm, 1e-6);
            assertClose(Nd4j.create(ev), rv, 1e-6);
            assertTrue(Math.abs(ev[0] - 1) > 0.1, "the variance should have moved from its start: " + ev[0]);
        }
    }

    /** Rows of a matrix are dense views at an offset; its columns are strided views, which the kernel reads as copies. */
    @Test
    void runningStatisticsInsideViewsAreUpdatedInPlace() {
        INDArray x = randn(rng, 6, 3);
        Stats st = naiveStats(x);
        INDArray byRow = Nd4j.create(new double[][] {{0, 0, 0}, {1, 1, 1}});
        INDArray byColumn = Nd4j.create(new double[][] {{0, 1}, {0, 1}, {0, 1}});
        bn(x, Nd4j.ones(DataType.DOUBLE, 3), Nd4j.zeros(DataType.DOUBLE, 3), byRow.getRow(0), byRow.getRow(1), true);
        bn(x, Nd4j.ones(DataType.DOUBLE, 3), Nd4j.zeros(DataType.DOUBLE, 3), byColumn.getColumn(0), byColumn.getColumn(1), true);
        for (int ch = 0; ch < 3; ch++) {
            assertEquals(0.1 * st.mean()[ch], byRow.getDouble(0, ch), 1e-12);
            assertEquals(0.9 + 0.1 * st.unbiasedVar()[ch], byRow.getDouble(1, ch), 1e-12);
            assertEquals(0.1 * st.mean()[ch], byColumn.getDouble(ch, 0), 1e-12);
            assertEquals(0.9 + 0.1 * st.unbiasedVar()[ch], byColumn.getDouble(ch, 1), 1e-12);
        }
    }

    @Test
    void gradientsForInputGainAndBiasInTrainingMode() {
        for (long[] shape : SHAPES) {
            INDArray x = randn(rng, shape).muli(2).addi(1);
            INDArray g = randn(rng, 3);
            INDArray b = randn(rng, 3);
            assertGradOk(GradCheck.check(in -> BatchNorm.apply(in.get(0), in.get(1), in.get(2), null, null, true, 0.1, 1e-5), x, g, b));
            assertGradOk(GradCheck.check(in -> BatchNorm.apply(in.get(0), in.get(1), in.get(2), null, null, true, 0.1, 0.3), x, g, b));
        }
    }

    @Test
    void gradientsForInputGainAndBiasInEvalMode() {
        for (long[] shape : SHAPES) {
            INDArray x = randn(rng, shape);
            INDArray g = randn(rng, 3);
            INDArray b = randn(rng, 3);
            INDArray rm = randn(rng, 3);
            INDArray rv = Nd4j.create(new double[] {0.5, 2, 1.5});
            assertGradOk(GradCheck.check(in -> BatchNorm.apply(in.get(0), in.get(1), in.get(2), rm, rv, false, 0.1, 1e-5), x, g, b));
        }
    }

    @Test
    void transposedInputReadsItsElementsNotItsBuffer() {
        INDArray xt = randn(rng, 3, 7);
        INDArray g = randn(rng, 3);
        INDArray b = randn(rng, 3);
        INDArray x = xt.transpose();  // (7, 3), column-major view
        Stats st = naiveStats(x);
        assertClose(naive(x, st.mean(), st.biasedVar(), g, b, 1e-5), bn(x, g, b, null, null, true).value(), 1e-12);
        assertGradOk(GradCheck.check(in -> BatchNorm.apply(in.get(0).transpose(0, 1), in.get(1), in.get(2), null, null, true, 0.1, 1e-5),
                xt, g, b));
    }

    @Test
    void float32MatchesFloat64() {
        INDArray x = randn(rng, 16, 8, 5, 5).muli(3).addi(2);
        INDArray g = randn(rng, 8);
        INDArray b = randn(rng, 8);
        Stats st = naiveStats(x);
        Tensor y32 = bn(x.castTo(DataType.FLOAT), g.castTo(DataType.FLOAT), b.castTo(DataType.FLOAT), null, null, true);
        assertEquals(DataType.FLOAT, y32.dtype());
        assertClose(naive(x, st.mean(), st.biasedVar(), g, b, 1e-5), y32.value(), 1e-5);
    }

    @Test
    void oneValuePerChannelInTrainingIsRefusedAsPyTorchDoes() {
        INDArray g = Nd4j.ones(DataType.FLOAT, 10);
        INDArray b = Nd4j.zeros(DataType.FLOAT, 10);
        var e = assertThrows(IllegalArgumentException.class,
                () -> bn(Nd4j.zeros(DataType.FLOAT, 1, 10), g, b, null, null, true));
        assertEquals("batchNorm: expected more than 1 value per channel when training, got input [1, 10]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> bn(Nd4j.zeros(DataType.FLOAT, 1, 10, 1, 1), g, b, null, null, true));
        assertTrue(e.getMessage().contains("[1, 10, 1, 1]"), e.getMessage());
        // One image of 2 x 2 pixels has 4 values per channel: PyTorch accepts it, so do we.
        assertEquals(4, bn(Nd4j.rand(DataType.FLOAT, 1, 10, 2, 2), g, b, null, null, true).rank());
    }

    @Test
    void badInputsAreReported() {
        Tensor x = Tensor.constant(Nd4j.zeros(DataType.FLOAT, 8, 32, 7, 7));
        Tensor g64 = Tensor.constant(Nd4j.ones(DataType.FLOAT, 64));
        Tensor b64 = Tensor.constant(Nd4j.zeros(DataType.FLOAT, 64));
        var e = assertThrows(IllegalArgumentException.class, () -> BatchNorm.apply(x, g64, b64, null, null, true, 0.1, 1e-5));
        assertEquals("batchNorm: expected gain of shape [32] for input [8, 32, 7, 7] (C = 32), got [64]", e.getMessage());
        Tensor g = Tensor.constant(Nd4j.ones(DataType.FLOAT, 32));
        Tensor b = Tensor.constant(Nd4j.zeros(DataType.FLOAT, 32));
        INDArray r32 = Nd4j.zeros(DataType.FLOAT, 32);
        INDArray r16 = Nd4j.zeros(DataType.FLOAT, 16);
        e = assertThrows(IllegalArgumentException.class, () -> BatchNorm.apply(x, g, b, r32, r16, false, 0.1, 1e-5));
        assertTrue(e.getMessage().contains("runningVar of shape [32]") && e.getMessage().contains("got [16]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BatchNorm.apply(x, g, b, null, null, false, 0.1, 1e-5));
        assertTrue(e.getMessage().contains("none were given"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BatchNorm.apply(x, g, b, r32, null, true, 0.1, 1e-5));
        assertTrue(e.getMessage().contains("only runningMean"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BatchNorm.apply(x, g, b, null, null, true, 1.5, 1e-5));
        assertTrue(e.getMessage().contains("momentum") && e.getMessage().contains("1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BatchNorm.apply(x, g, b, null, null, true, 0.1, -1e-5));
        assertTrue(e.getMessage().contains("-1.0E-5"), e.getMessage());
        Tensor x3 = Tensor.constant(Nd4j.zeros(DataType.FLOAT, 8, 32, 7));
        e = assertThrows(IllegalArgumentException.class, () -> BatchNorm.apply(x3, g, b, null, null, true, 0.1, 1e-5));
        assertTrue(e.getMessage().contains("[8, 32, 7]") && e.getMessage().contains("[2, 4]"), e.getMessage());
        Tensor gd = Tensor.constant(Nd4j.ones(DataType.DOUBLE, 32));
        e = assertThrows(IllegalArgumentException.class, () -> BatchNorm.apply(x, gd, b, null, null, true, 0.1, 1e-5));
        assertTrue(e.getMessage().contains("FLOAT") && e.getMessage().contains("DOUBLE"), e.getMessage());
    }
}
