package dev.tinygen.nn.ops;

import static dev.tinygen.nn.TestArrays.assertClose;
import static dev.tinygen.nn.TestArrays.assertGradOk;
import static dev.tinygen.nn.TestArrays.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import dev.tinygen.nn.GradCheck;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PointwiseOpsTest {
    private static final double K = Math.sqrt(2 / Math.PI);

    /** An elementwise op, its formula and derivative written out independently, and the inputs it is defined on. */
    record Case(String name, UnaryOperator<Tensor> op, DoubleUnaryOperator ref, DoubleUnaryOperator slope,
                DoubleUnaryOperator domain) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        DoubleUnaryOperator any = v -> v;
        DoubleUnaryOperator positive = v -> Math.abs(v) + 0.3;
        DoubleUnaryOperator awayFromZero = v -> v + Math.copySign(0.1, v); // kinks at 0 defeat central differences
        return Stream.of(
                new Case("exp", Exp::apply, Math::exp, Math::exp, any),
                new Case("log", Log::apply, Math::log, v -> 1 / v, positive),
                new Case("sqrt", Sqrt::apply, Math::sqrt, v -> 0.5 / Math.sqrt(v), positive),
                new Case("pow 2", x -> Pow.apply(x, 2), v -> v * v, v -> 2 * v, any),
                new Case("pow 3", x -> Pow.apply(x, 3), v -> v * v * v, v -> 3 * v * v, any),
                new Case("pow 1", x -> Pow.apply(x, 1), v -> v, v -> 1, any),
                new Case("pow 0", x -> Pow.apply(x, 0), v -> 1, v -> 0, any),
                new Case("pow -1.5", x -> Pow.apply(x, -1.5), v -> 1 / (v * Math.sqrt(v)),
                        v -> -1.5 / (v * v * Math.sqrt(v)), positive),
                new Case("pow 0.5", x -> Pow.apply(x, 0.5), Math::sqrt, v -> 0.5 / Math.sqrt(v), positive),
                new Case("neg", Neg::apply, v -> -v, v -> -1, any),
                new Case("scale", x -> Scale.apply(x, -2.5, 0.75), v -> -2.5 * v + 0.75, v -> -2.5, any),
                new Case("scale mul", x -> Scale.mul(x, 0.125), v -> 0.125 * v, v -> 0.125, any),
                new Case("scale add", x -> Scale.add(x, -3), v -> v - 3, v -> 1, any),
                new Case("abs", Abs::apply, Math::abs, Math::signum, awayFromZero),
                new Case("relu", Relu::apply, v -> v > 0 ? v : 0, v -> v > 0 ? 1 : 0, awayFromZero),
                new Case("tanh", Tanh::apply, Math::tanh, v -> 1 - Math.tanh(v) * Math.tanh(v), any),
                new Case("sigmoid", Sigmoid::apply, v -> 1 / (1 + Math.exp(-v)),
                        v -> Math.exp(-v) / ((1 + Math.exp(-v)) * (1 + Math.exp(-v))), any),
                new Case("gelu tanh", Gelu::tanh, PointwiseOpsTest::geluTanh, PointwiseOpsTest::geluTanhSlope, any),
                new Case("gelu exact", Gelu::exact, v -> 0.5 * v * (1 + erf(v / Math.sqrt(2))),
                        v -> 0.5 * (1 + erf(v / Math.sqrt(2))) + v * Math.exp(-v * v / 2) / Math.sqrt(2 * Math.PI), any));
    }

    static double geluTanh(double v) {
        return 0.5 * v * (1 + Math.tanh(K * (v + 0.044715 * v * v * v)));
    }

    static double geluTanhSlope(double v) {
        double t = Math.tanh(K * (v + 0.044715 * v * v * v));
        return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * K * (1 + 3 * 0.044715 * v * v);
    }

    /** erf by its Maclaurin series, summed until the terms vanish; exact to ~1e-13 for |x| <= 3. */
    static double erf(double x) {
        double term = x;
        double sum = x;
        for (int n = 1; n < 200 && Math.abs(term) > 1e-18; n++) {
            term *= -x * x / n;
            sum += term / (2 * n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    private final Rng rng = new Rng(11);

    private INDArray input(Case c, long... shape) {
        INDArray x = randn(rng, shape);
        double[] v = x.data().asDouble();
        for (int i = 0; i < v.length; i++) v[i] = c.domain().applyAsDouble(Math.max(-4, Math.min(4, v[i])));
        return Nd4j.create(v, shape, DataType.DOUBLE);
    }

    private static INDArray map(INDArray x, DoubleUnaryOperator f) {
        double[] v = x.dup('c').data().asDouble();
        for (int i = 0; i < v.length; i++) v[i] = f.applyAsDouble(v[i]);
        return Nd4j.create(v, x.shape(), DataType.DOUBLE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void valuesAndGradientsMatchTheFormula(Case c) {
        for (long[] shape : new long[][] {{7}, {3, 4}, {2, 3, 5}}) {
            INDArray x = input(c, shape);
            Tensor xt = Tensor.variable(x);
            Tensor y = c.op().apply(xt);
            assertClose(map(x, c.ref()), y.value(), 1e-12);
            INDArray dy = randn(rng, shape);
            y.backward(dy);
            assertClose(map(x, c.slope()).muli(dy), xt.grad(), 1e-11);
            assertGradOk(GradCheck.check(in -> c.op().apply(in.get(0)), x));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void float32MatchesFloat64(Case c) {
        INDArray x = input(c, 4, 6, 5);
        Tensor x64 = Tensor.variable(x);
        Tensor x32 = Tensor.variable(x.castTo(DataType.FLOAT));
        Tensor y64 = c.op().apply(x64);
        Tensor y32 = c.op().apply(x32);
        assertEquals(DataType.FLOAT, y32.dtype());
        assertClose(y64.value(), y32.value(), 1e-5);
        INDArray dy = randn(rng, 4, 6, 5);
        y64.backward(dy);
        y32.backward(dy.castTo(DataType.FLOAT));
        assertEquals(DataType.FLOAT, x32.grad().dataType());
        assertClose(x64.grad(), x32.grad(), 1e-5);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void viewsAreReadThroughTheirStrides(Case c) {
        INDArray base = input(c, 4, 5, 6);
        INDArray view = base.permute(2, 0, 1).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 4),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 5));
        Tensor xt = Tensor.variable(view);
        Tensor y = c.op().apply(xt);
        assertClose(map(view, c.ref()), y.value(), 1e-12);
        long[] vs = view.shape();
        INDArray dy = randn(rng, vs[2], vs[0], vs[1]).permute(1, 2, 0);  // a strided gradient too
        y.backward(dy);
        assertClose(map(view, c.slope()).muli(dy), xt.grad(), 1e-11);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void integerInputIsRefusedByName(Case c) {
        Tensor ints = Tensor.constant(Nd4j.createFromArray(1, 2, 3));
        var e = assertThrows(IllegalArgumentException.class, () -> c.op().apply(ints));
        String op = c.name().split(" ")[0];
        assertTrue(e.getMessage().startsWith(op + ":") && e.getMessage().contains("INT") && e.getMessage().contains("[3]"),
                e.getMessage());
    }

    @Test
    void geluKnownValues() {
        INDArray x = Nd4j.create(new double[] {-3, -1, 0, 0.5, 1, 2});
        // 0.5 x (1 + erf(x / sqrt 2)) = x Phi(x), from tables of the normal distribution function
        double[] phi = {0.0013498980316301, 0.15865525393145707, 0.5, 0.6914624612740131, 0.8413447460685429,
                0.9772498680518208};
        double[] xs = {-3, -1, 0, 0.5, 1, 2};
        INDArray exact = Gelu.exact(Tensor.constant(x)).value();
        for (int i = 0; i < xs.length; i++) assertEquals(xs[i] * phi[i], exact.getDouble(i), 1e-14, "x = " + xs[i]);
        // the tanh form stays within 1e-3 of the exact one (GPT-2's choice trades that for speed)
        INDArray approx = Gelu.tanh(Tensor.constant(x)).value();
        for (int i = 0; i < xs.length; i++) assertEquals(xs[i] * phi[i], approx.getDouble(i), 1e-3, "x = " + xs[i]);
        assertTrue(Math.abs(approx.getDouble(4) - exact.getDouble(4)) > 1e-5, "tanh form must differ from the exact one");
    }

    @Test
    void geluTanhHasNoNanAtExtremes() {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            Tensor x = Tensor.variable(Nd4j.create(new double[] {-1e30, -50, 50, 1e30}).castTo(dt));
            Tensor y = Gelu.tanh(x);
            y.backward(Nd4j.ones(dt, 4));
            double[] v = y.value().castTo(DataType.DOUBLE).toDoubleVector();
            double[] g = x.grad().castTo(DataType.DOUBLE).toDoubleVector();
            assertEquals(0, v[0], 0);
            assertEquals(0, v[1], 1e-30);
            assertEquals(50, v[2], 1e-12);
            assertEquals(1e30, v[3], 1e24);
            double[] slope = {0, 0, 1, 1};
            for (int i = 0; i < 4; i++) assertEquals(slope[i], g[i], 1e-12, dt + " slope at element " + i);
        }
    }

    @Test
    void geluTanhInsideAWorkspaceAndInHalfPrecision() {
        INDArray x = randn(rng, 3, 8, 16);
        INDArray expected = map(x, PointwiseOpsTest::geluTanh);
        WorkspaceConfiguration conf = WorkspaceConfiguration.builder().initialSize(1 << 20).build();
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(conf, "pointwise-test")) {
            INDArray inWs = x.castTo(DataType.FLOAT);  // allocated in the workspace
            Tensor xt = Tensor.variable(inWs);
            Tensor y = Gelu.tanh(xt);
            y.backward(Nd4j.ones(DataType.FLOAT, 3, 8, 16));
            assertClose(expected, y.value(), 1e-5);
            assertClose(map(x, PointwiseOpsTest::geluTanhSlope), xt.grad(), 1e-5);
        }
        Tensor half = Gelu.tanh(Tensor.constant(x.castTo(DataType.HALF)));
        assertEquals(DataType.HALF, half.dtype());
        assertClose(expected, half.value(), 1e-2);
    }

    @Test
    void badConstantsAreRefused() {
        Tensor x = Tensor.constant(Nd4j.ones(DataType.DOUBLE, 2));
        var e = assertThrows(IllegalArgumentException.class, () -> Pow.apply(x, Double.NaN));
        assertTrue(e.getMessage().contains("pow") && e.getMessage().contains("NaN"), e.getMessage());
        var s = assertThrows(IllegalArgumentException.class, () -> Scale.apply(x, 2, Double.POSITIVE_INFINITY));
        assertTrue(s.getMessage().contains("scale") && s.getMessage().contains("Infinity"), s.getMessage());
    }

    @Test
    void opsLeaveTheirInputAlone() {
        INDArray x = randn(rng, 3, 4);
        INDArray copy = x.dup();
        for (Case c : (Iterable<Case>) cases()::iterator) {
            Tensor xt = Tensor.variable(x);
            Tensor y = c.op().apply(xt);
            y.backward(Nd4j.ones(DataType.DOUBLE, 3, 4));
            assertClose(copy, x, 0);
            assertFalse(y.value() == x, c.name() + " returned its input array");
        }
        assertSame(DataType.DOUBLE, Exp.apply(Tensor.constant(x)).dtype());
    }
}
