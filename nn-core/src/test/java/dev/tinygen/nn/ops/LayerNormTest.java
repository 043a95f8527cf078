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
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class LayerNormTest {
    private static final long[][] SHAPES = {{6}, {3, 7}, {2, 3, 8}};
    private final Rng rng = new Rng(23);

    /** Layer norm by loops over doubles: mean, biased variance, normalise, scale, shift. */
    static INDArray naive(INDArray x, INDArray gain, INDArray bias, double eps) {
        int c = (int) x.size(x.rank() - 1);
        double[] v = x.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] out = new double[v.length];
        for (int base = 0; base < v.length; base += c) {
            double m = 0;
            for (int j = 0; j < c; j++) m += v[base + j];
            m /= c;
            double var = 0;
            for (int j = 0; j < c; j++) var += (v[base + j] - m) * (v[base + j] - m);
            var /= c;
            for (int j = 0; j < c; j++)
                out[base + j] = (v[base + j] - m) / Math.sqrt(var + eps) * gain.getDouble(j) + bias.getDouble(j);
        }
        return Nd4j.create(out, x.shape(), DataType.DOUBLE);
    }

    private static Tensor ln(INDArray x, INDArray g, INDArray b, double eps) {
        return LayerNorm.apply(Tensor.constant(x), Tensor.constant(g), Tensor.constant(b), eps);
    }

    @Test
    void valuesMatchLoops() {
        for (long[] shape : SHAPES) {
            long c = shape[shape.length - 1];
            INDArray x = randn(rng, shape).muli(2).addi(1);
            INDArray g = randn(rng, c);
            INDArray b = randn(rng, c);
            assertClose(naive(x, g, b, 1e-5), ln(x, g, b, 1e-5).value(), 1e-12);
            assertClose(naive(x, g, b, 1e-5), LayerNorm.apply(Tensor.constant(x), Tensor.constant(g),
                    Tensor.constant(b)).value(), 1e-12);
            assertClose(naive(x, g, b, 0.5), ln(x, g, b, 0.5).value(), 1e-12);
        }
    }

    @Test
    void epsilonKeepsConstantAndNearlyConstantRowsFinite() {
        INDArray x = Nd4j.create(new double[][] {{3, 3, 3, 3}, {1, 1 + 1e-4, 1 - 1e-4, 1}});
        INDArray g = Nd4j.create(new double[] {1, 2, 3, 4});
        INDArray b = Nd4j.create(new double[] {0.5, -0.5, 0, 1});
        INDArray y = ln(x, g, b, 1e-5).value();
        assertClose(b, y.getRow(0), 0);  // zero variance: the output is the bias, not NaN
        assertClose(naive(x, g, b, 1e-5), y, 1e-12);
        // Without epsilon the second row would be scaled by 1/std = 14142; with it, by about 1/sqrt(1e-5).
        assertTrue(Math.abs(y.getDouble(1, 1)) < 2 * 1e-4 / Math.sqrt(1e-5 + 5e-9) + 1, y.toString());
        INDArray x32 = x.castTo(DataType.FLOAT);  // 1 +- 1e-4 is not exact in float32: compare on the rounded input
        INDArray y32 = ln(x32, g.castTo(DataType.FLOAT), b.castTo(DataType.FLOAT), 1e-5).value();
        assertClose(naive(x32, g, b, 1e-5), y32, 1e-5);
    }

    @Test
    void float32MatchesFloat64() {
        INDArray x = randn(rng, 16, 128).muli(3).addi(2);
        INDArray g = randn(rng, 128);
        INDArray b = randn(rng, 128);
        Tensor y32 = ln(x.castTo(DataType.FLOAT), g.castTo(DataType.FLOAT), b.castTo(DataType.FLOAT), 1e-5);
        assertEquals(DataType.FLOAT, y32.dtype());
        assertClose(naive(x, g, b, 1e-5), y32.value(), 1e-5);
    }

    /** Half precision runs through the float32 kernel and comes back as half. */
    @Test
    void halfPrecisionComesBackAsHalf() {
        INDArray x = randn(rng, 4, 16);
        INDArray g = randn(rng, 16);
        INDArray b = randn(rng, 16);
        Tensor xt = Tensor.variable(x.castTo(DataType.HALF));
        Tensor y = LayerNorm.apply(xt, Tensor.constant(g.castTo(DataType.HALF)), Tensor.constant(b.castTo(DataType.HALF)));
        assertEquals(DataType.HALF, y.dtype());
        assertClose(naive(x.castTo(DataType.HALF), g.castTo(DataType.HALF), b.castTo(DataType.HALF), 1e-5), y.value(), 1e-2);
        y.backward(Nd4j.ones(DataType.HALF, 4, 16));
        assertEquals(DataType.HALF, xt.grad().dataType());
    }

    @Test
    void gradientsForInputGainAndBias() {
        for (long[] shape : SHAPES) {
            long c = shape[shape.length - 1];
            INDArray x = randn(rng, shape);
            INDArray g = randn(rng, c);
            INDArray b = randn(rng, c);
            assertGradOk(GradCheck.check(in -> LayerNorm.apply(in.get(0), in.get(1), in.get(2)), x, g, b));
            assertGradOk(GradCheck.check(in -> LayerNorm.apply(in.get(0), in.get(1), in.get(2), 0.3), x, g, b));
        }
    }

    @Test
    void gradientThroughViews() {
        INDArray x = randn(rng, 5, 4);
        INDArray gb = randn(rng, 10);
        // x transposed (not row-major) and gain/bias as offset views of one flat buffer, as rebound parameters are.
        assertGradOk(GradCheck.check(in -> LayerNorm.apply(in.get(0).transpose(0, 1), in.get(1), in.get(2)),
                x, gb.get(NDArrayIndex.interval(0, 5)).dup(), gb.get(NDArrayIndex.interval(5, 10)).dup()));
        INDArray flat = randn(rng, 12);
        INDArray g = flat.get(NDArrayIndex.interval(3, 7));
        INDArray b = flat.get(NDArrayIndex.interval(7, 11));
        INDArray xr = randn(rng, 3, 4);
        assertClose(naive(xr, g.dup(), b.dup(), 1e-5), ln(xr, g, b, 1e-5).value(), 1e-12);
        Tensor gt = Tensor.variable(g);
        Tensor bt = Tensor.variable(b);
        LayerNorm.apply(Tensor.constant(xr), gt, bt).sum().backward();
        assertClose(Nd4j.ones(DataType.DOUBLE, 4).muli(3), bt.grad(), 1e-12);
    }

    /** libnd4j's layer_norm normalises without epsilon, so with eps = 0 both must agree, forward and backward. */
    @Test
    void matchesLibnd4jKernelAtZeroEpsilon() {
        INDArray x = randn(rng, 6, 16).castTo(DataType.FLOAT);
        INDArray g = randn(rng, 16).castTo(DataType.FLOAT);
        INDArray b = randn(rng, 16).castTo(DataType.FLOAT);
        INDArray dy = randn(rng, 6, 16).castTo(DataType.FLOAT);
        INDArray y = x.ulike();
        Nd4j.exec(DynamicCustomOp.builder("layer_norm").addInputs(x, g, b).addOutputs(y)
                .addIntegerArguments(1).addBooleanArguments(false).build());
        INDArray dx = x.ulike();
        INDArray dg = g.ulike();
        INDArray db = b.ulike();
        Nd4j.exec(DynamicCustomOp.builder("layer_norm_bp").addInputs(x, g, b, dy).addOutputs(dx, dg, db)
                .addIntegerArguments(1).addBooleanArguments(false).build());
        Tensor xt = Tensor.variable(x);
        Tensor gt = Tensor.variable(g);
        Tensor bt = Tensor.variable(b);
        Tensor ours = LayerNorm.apply(xt, gt, bt, 0.0);
        ours.backward(dy);
        assertClose(y, ours.value(), 1e-5);
        assertClose(dx, xt.grad(), 1e-4);
        assertClose(dg, gt.grad(), 1e-4);
        assertClose(db, bt.grad(), 1e-5);
    }

    @Test
    void badInputsAreReported() {
        Tensor x = Tensor.constant(Nd4j.zeros(DataType.FLOAT, 4, 64, 96));
        Tensor g = Tensor.constant(Nd4j.ones(DataType.FLOAT, 128));
        Tensor b = Tensor.constant(Nd4j.zeros(DataType.FLOAT, 96));
        var e = assertThrows(IllegalArgumentException.class, () -> LayerNorm.apply(x, g, b));
        assertTrue(e.getMessage().contains("layerNorm") && e.getMessage().contains("[96]")
                && e.getMessage().contains("[4, 64, 96]") && e.getMessage().contains("[128]"), e.getMessage());
        Tensor g96 = Tensor.constant(Nd4j.ones(DataType.FLOAT, 96));
        Tensor b2 = Tensor.constant(Nd4j.zeros(DataType.FLOAT, 2, 48));
        e = assertThrows(IllegalArgumentException.class, () -> LayerNorm.apply(x, g96, b2));
        assertTrue(e.getMessage().contains("bias") && e.getMessage().contains("[2, 48]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LayerNorm.apply(x, g96, b, -1e-5));
        assertTrue(e.getMessage().contains("-1.0E-5"), e.getMessage());
        Tensor g64 = Tensor.constant(Nd4j.ones(DataType.DOUBLE, 96));
        e = assertThrows(IllegalArgumentException.class, () -> LayerNorm.apply(x, g64, b));
        assertTrue(e.getMessage().contains("FLOAT") && e.getMessage().contains("DOUBLE"), e.getMessage());
    }
}
