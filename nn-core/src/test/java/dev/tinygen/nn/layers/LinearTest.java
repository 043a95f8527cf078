package dev.tinygen.nn.layers;

import static dev.tinygen.nn.TestArrays.assertClose;
import static dev.tinygen.nn.TestArrays.assertGradOk;
import static dev.tinygen.nn.TestArrays.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import dev.tinygen.nn.GradCheck;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.optim.AdamW;
import dev.tinygen.nn.optim.Optimizer;
import dev.tinygen.nn.optim.Sgd;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LinearTest {
    private final Rng rng = new Rng(11);

    /** y[n, j] = sum_i x[n, i] W[i, j] + b[j], by loops over doubles. */
    private static INDArray naive(INDArray x, INDArray w, INDArray b) {
        long in = w.size(0), out = w.size(1);
        INDArray x2 = x.reshape(-1, in);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, x2.size(0), out);
        for (int n = 0; n < x2.size(0); n++)
            for (int j = 0; j < out; j++) {
                double s = b == null ? 0 : b.getDouble(j);
                for (int i = 0; i < in; i++) s += x2.getDouble(n, i) * w.getDouble(i, j);
                y.putScalar(n, j, s);
            }
        long[] shape = x.shape().clone();
        shape[shape.length - 1] = out;
        return y.reshape(shape);
    }

    @Test
    void forwardEqualsLoopsFor2dAnd3dInput() {
        Linear lin = new Linear(5, 3, true, DataType.DOUBLE, rng);
        for (long[] s : new long[][] {{4, 5}, {2, 3, 5}}) {
            INDArray x = randn(rng, s);
            assertClose(naive(x, lin.weight().value(), lin.bias().value()), lin.forward(Tensor.constant(x)).value(), 1e-12);
        }
        Linear noBias = new Linear(5, 3, false, DataType.DOUBLE, rng);
        assertNull(noBias.bias());
        assertEquals(List.of("weight"), List.copyOf(noBias.namedParameters().keySet()));
        INDArray x = randn(rng, 2, 5);
        assertClose(naive(x, noBias.weight().value(), null), noBias.forward(Tensor.constant(x)).value(), 1e-12);
    }

    @Test
    void gradientsOfInputWeightAndBias() {
        for (long[] s : new long[][] {{4, 5}, {2, 3, 5}}) {
            Linear lin = new Linear(5, 3, true, DataType.DOUBLE, rng);
            INDArray x = randn(rng, s);
            assertGradOk(GradCheck.check(in -> lin.forward(in.get(0)), x));
            assertParameterGradients(lin, x);
        }
    }

    /**
     * Central differences on each parameter element of {@code sum(f(x) * R)}, compared with what backward put into
     * the parameter's gradient, with GradCheck's error measure and tolerance.
     */
    private static void assertParameterGradients(Linear lin, INDArray x) {
        Tensor xt = Tensor.constant(x);
        INDArray r = randn(new Rng(99), lin.forward(xt).shape());
        lin.zeroGrad();
        lin.forward(xt).mul(Tensor.constant(r)).sum().backward();
        for (var e : lin.namedParameters().entrySet()) {
            INDArray v = e.getValue().value().reshape(-1);
            INDArray g = e.getValue().grad().reshape(-1);
            for (long j = 0; j < v.length(); j++) {
                double orig = v.getDouble(j);
                v.putScalar(j, orig + GradCheck.EPS);
                double plus = lin.forward(xt).value().mul(r).sumNumber().doubleValue();
                v.putScalar(j, orig - GradCheck.EPS);
                double minus = lin.forward(xt).value().mul(r).sumNumber().doubleValue();
                v.putScalar(j, orig);
                double numeric = (plus - minus) / (2 * GradCheck.EPS);
                double a = g.getDouble(j);
                double err = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), GradCheck.ABS_FLOOR);
                assertTrue(err < GradCheck.TOLERANCE, "%s[%d]: analytic %.10g, numeric %.10g".formatted(e.getKey(), j, a, numeric));
            }
        }
    }

    @Test
    void parameterGradientsEqualTheMatrixFormulas() {
        Linear lin = new Linear(5, 3, true, DataType.DOUBLE, rng);
        INDArray x = randn(rng, 2, 4, 5);
        INDArray dy = randn(rng, 2, 4, 3);
        lin.forward(Tensor.constant(x)).backward(dy);
        INDArray x2 = x.reshape(8, 5), dy2 = dy.reshape(8, 3);
        INDArray dw = Nd4j.zeros(DataType.DOUBLE, 5, 3);
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int n = 0; n < 8; n++) s += x2.getDouble(n, i) * dy2.getDouble(n, j);
                dw.putScalar(i, j, s);
            }
        assertClose(dw, lin.weight().grad(), 1e-12);
        assertClose(dy2.sum(0), lin.bias().grad(), 1e-12);
    }

    @Test
    void defaultInitIsPytorchsUniformAndFloat32() {
        Linear lin = new Linear(400, 300, new Rng(5));
        assertEquals(DataType.FLOAT, lin.weight().dtype());
        double bound = 1 / Math.sqrt(400);
        INDArray w = lin.weight().value();
        assertTrue(w.maxNumber().doubleValue() <= bound && w.minNumber().doubleValue() >= -bound);
        double std = w.stdNumber().doubleValue();
        assertEquals(bound / Math.sqrt(3), std, 0.01 * bound);
        assertTrue(lin.weight().decay());
        assertFalse(lin.bias().decay());
        assertTrue(Math.abs(lin.bias().value().maxNumber().doubleValue()) <= bound);
        assertEquals(new Linear(4, 3, new Rng(5)).weight().value(), new Linear(4, 3, new Rng(5)).weight().value());
    }

    @Test
    void float32MatchesFloat64() {
        Linear d = new Linear(6, 4, true, DataType.DOUBLE, new Rng(8));
        Linear f = new Linear(6, 4, true, DataType.FLOAT, new Rng(8));
        INDArray x = randn(rng, 3, 2, 6);
        assertClose(d.forward(Tensor.constant(x)).value(), f.forward(Tensor.constant(x.castTo(DataType.FLOAT))).value(), 1e-5);
    }

    @Test
    void wrongInputIsReported() {
        Linear lin = new Linear(784, 10, rng);
        var e = assertThrows(IllegalArgumentException.class,
                () -> lin.forward(Tensor.constant(Nd4j.zeros(DataType.FLOAT, 64, 785))));
        assertEquals("linear: expected input (..., 784), got [64, 785]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lin.forward(Tensor.constant(Nd4j.zeros(DataType.FLOAT, 784))));
        assertTrue(e.getMessage().contains("[784]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> lin.forward(Tensor.constant(Nd4j.zeros(DataType.DOUBLE, 2, 784))));
        assertTrue(e.getMessage().contains("FLOAT") && e.getMessage().contains("DOUBLE"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Linear(0, 3, rng));
        assertTrue(e.getMessage().contains("in 0, out 3"), e.getMessage());
    }

    /** Fits y = 3x - 1 from 32 points; the loss sum((pred - y)^2) / n is written with Sub, Mul and Sum. */
    private static double fit(Optimizer opt, Linear lin, int steps) {
        INDArray xs = Nd4j.linspace(-1, 1, 32, DataType.FLOAT).reshape(32, 1);
        INDArray ys = xs.mul(3).subi(1);
        Tensor x = Tensor.constant(xs), y = Tensor.constant(ys);
        Tensor invN = Tensor.scalar(1.0 / 32, DataType.FLOAT);
        double loss = Double.NaN;
        for (int s = 0; s < steps; s++) {
            opt.zeroGrad();
            Tensor d = lin.forward(x).sub(y);
            Tensor l = d.mul(d).sum().mul(invN);
            l.backward();
            opt.step();
            loss = l.item();
        }
        return loss;
    }

    @Test
    void regressionConvergesWithSgdAndAdamW() {
        Linear a = new Linear(1, 1, new Rng(3));
        double sgdLoss = fit(new Sgd(a.namedParameters(), 0.1, 0.9, 0.0), a, 200);
        assertTrue(sgdLoss < 1e-8, "sgd loss " + sgdLoss);
        assertEquals(3.0, a.weight().value().getDouble(0), 1e-4);
        assertEquals(-1.0, a.bias().value().getDouble(0), 1e-4);

        Linear b = new Linear(1, 1, new Rng(3));
        double adamLoss = fit(new AdamW(b.namedParameters(), 0.05, 0.0), b, 400);
        assertTrue(adamLoss < 1e-6, "adamw loss " + adamLoss);
        assertEquals(3.0, b.weight().value().getDouble(0), 1e-3);
        assertEquals(-1.0, b.bias().value().getDouble(0), 1e-3);
    }
}
