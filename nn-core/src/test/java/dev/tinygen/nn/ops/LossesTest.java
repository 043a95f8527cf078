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

class LossesTest {
    private final Rng rng = new Rng(41);

    private int[] randomTargets(int n, int v) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = rng.nextInt(v);
        return t;
    }

    /** Mean (or sum) over non-ignored rows of logsumexp(row) - row[target], by loops over doubles. */
    static double naiveCrossEntropy(INDArray logits, int[] targets, int ignore, boolean sum) {
        int v = (int) logits.size(logits.rank() - 1);
        double[] x = logits.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double total = 0;
        int count = 0;
        for (int r = 0; r < targets.length; r++) {
            if (targets[r] == ignore) continue;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < v; j++) max = Math.max(max, x[r * v + j]);
            double s = 0;
            for (int j = 0; j < v; j++) s += Math.exp(x[r * v + j] - max);
            total += max + Math.log(s) - x[r * v + targets[r]];
            count++;
        }
        return sum ? total : total / count;
    }

    // ---- cross-entropy

    @Test
    void crossEntropyMatchesLoops() {
        INDArray logits = randn(rng, 12, 7).muli(3);
        int[] t = randomTargets(12, 7);
        assertEquals(naiveCrossEntropy(logits, t, -100, false), CrossEntropy.apply(Tensor.constant(logits), t).item(), 1e-12);
        assertEquals(naiveCrossEntropy(logits, t, -100, true),
                CrossEntropy.apply(Tensor.constant(logits), t, -100, Reduction.SUM).item(), 1e-11);
        INDArray btv = randn(rng, 2, 5, 9);
        int[] t2 = randomTargets(10, 9);
        INDArray targets = Nd4j.createFromArray(t2).reshape(2, 5);
        assertEquals(naiveCrossEntropy(btv, t2, -100, false), CrossEntropy.apply(Tensor.constant(btv), targets).item(), 1e-12);
        assertEquals(naiveCrossEntropy(btv, t2, -100, false),
                CrossEntropy.apply(Tensor.constant(btv), targets.castTo(DataType.LONG)).item(), 1e-12);
        assertEquals(naiveCrossEntropy(btv, t2, -100, false), CrossEntropy.apply(Tensor.constant(btv), t2).item(), 1e-12);
        Tensor l32 = CrossEntropy.apply(Tensor.constant(btv.castTo(DataType.FLOAT)), targets);
        assertEquals(DataType.FLOAT, l32.dtype());
        assertEquals(naiveCrossEntropy(btv, t2, -100, false), l32.item(), 1e-5);
    }

    /** The fused op must equal LogSoftmax -> pick (a one-hot product) -> mean, in value and in gradient. */
    @Test
    void fusedEqualsCompositionOfPlainOps() {
        INDArray logits = randn(rng, 2, 6, 11).muli(2);
        int[] t = randomTargets(12, 11);
        t[3] = -1;  // ignored
        t[8] = -1;
        INDArray onehot = Nd4j.zeros(DataType.DOUBLE, 2, 6, 11);
        int count = 0;
        for (int i = 0; i < t.length; i++)
            if (t[i] >= 0) {
                onehot.putScalar(new long[] {i / 6, i % 6, t[i]}, 1.0);
                count++;
            }
        Tensor a = Tensor.variable(logits.dup());
        Tensor fused = CrossEntropy.apply(a, t, -1);
        fused.backward();
        Tensor b = Tensor.variable(logits.dup());
        Tensor composed = LogSoftmax.apply(b).mul(Tensor.constant(onehot)).sum()
                .mul(Tensor.scalar(-1.0 / count, DataType.DOUBLE));
        composed.backward();
        assertEquals(composed.item(), fused.item(), 1e-13);
        assertClose(b.grad(), a.grad(), 1e-13);
    }

    @Test
    void crossEntropyGradients() {
        INDArray logits = randn(rng, 5, 4);
        int[] t = {0, 3, 3, 1, 2};
        assertGradOk(GradCheck.check(in -> CrossEntropy.apply(in.get(0), t), logits));
        assertGradOk(GradCheck.check(in -> CrossEntropy.apply(in.get(0), t, 3, Reduction.SUM), logits));
        INDArray btv = randn(rng, 2, 3, 6);
        INDArray targets = Nd4j.createFromArray(new int[][] {{5, 0, -100}, {2, 2, 1}});
        assertGradOk(GradCheck.check(in -> CrossEntropy.apply(in.get(0), targets), btv));
        assertGradOk(GradCheck.check(in -> CrossEntropy.apply(in.get(0).permute(1, 0, 2), targets.transpose()), btv));
    }

    @Test
    void ignoredTargetsAreLeftOutOfTheMeanAndGetNoGradient() {
        INDArray logits = randn(rng, 6, 5);
        int[] t = {1, 0, 4, 0, 0, 2};
        // Class 0 as padding: the mean runs over the three other rows only.
        assertEquals(naiveCrossEntropy(logits, t, 0, false), CrossEntropy.apply(Tensor.constant(logits), t, 0).item(), 1e-12);
        assertEquals((naiveCrossEntropy(logits.getRows(0, 2, 5), new int[] {1, 4, 2}, -100, false)),
                CrossEntropy.apply(Tensor.constant(logits), t, 0).item(), 1e-12);
        Tensor x = Tensor.variable(logits);
        CrossEntropy.apply(x, t, 0).backward();
        for (int r : new int[] {1, 3, 4}) assertEquals(0.0, x.grad().getRow(r).amaxNumber().doubleValue(), 0);
        // A kept row's gradient is (softmax - onehot) / 3: the mean runs over three rows.
        double max = logits.getRow(2).maxNumber().doubleValue();
        double z = 0;
        for (int j = 0; j < 5; j++) z += Math.exp(logits.getDouble(2, j) - max);
        for (int j = 0; j < 5; j++)
            assertEquals((Math.exp(logits.getDouble(2, j) - max) / z - (j == 4 ? 1 : 0)) / 3, x.grad().getDouble(2, j), 1e-15);
    }

    @Test
    void allTargetsIgnoredGivesZeroNotNaN() {
        Tensor x = Tensor.variable(randn(rng, 3, 4));
        Tensor loss = CrossEntropy.apply(x, new int[] {-100, -100, -100});
        assertEquals(0.0, loss.item(), 0);
        loss.backward();
        assertEquals(0.0, x.grad().amaxNumber().doubleValue(), 0);
    }

    @Test
    void crossEntropyIsStableForLargeLogits() {
        INDArray logits = Nd4j.create(new double[][] {{1000, 0, -1000}, {-1000, -1001, -1002}});
        int[] t = {2, 0};
        double expected = naiveCrossEntropy(logits, t, -100, false);
        assertEquals(expected, CrossEntropy.apply(Tensor.constant(logits), t).item(), 1e-9);
        assertEquals(expected, CrossEntropy.apply(Tensor.constant(logits.castTo(DataType.FLOAT)), t).item(), 1e-3);
        assertTrue(expected > 1000, "row 0 is 2000 nats off: " + expected);
    }

    @Test
    void badTargetsAreReported() {
        Tensor logits = Tensor.constant(Nd4j.zeros(DataType.FLOAT, 2, 6, 77));
        var e = assertThrows(IllegalArgumentException.class, () -> CrossEntropy.apply(logits,
                Nd4j.createFromArray(new int[][] {{1, 2, 3, 4, 5, 6}, {7, 80, 9, 10, 11, 12}})));
        assertEquals("crossEntropy: target 80 at position 7 is outside the vocabulary of 77", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CrossEntropy.apply(logits, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, -1}));
        assertTrue(e.getMessage().contains("target -1 at position 11"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CrossEntropy.apply(logits, Nd4j.zeros(DataType.INT, 2, 5)));
        assertEquals("crossEntropy: expected targets of shape [2, 6] for logits [2, 6, 77], got [2, 5]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CrossEntropy.apply(logits, new int[10]));
        assertEquals("crossEntropy: expected 12 targets for logits [2, 6, 77], got 10", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CrossEntropy.apply(logits, Nd4j.zeros(DataType.FLOAT, 2, 6)));
        assertTrue(e.getMessage().contains("integer") && e.getMessage().contains("FLOAT"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CrossEntropy.apply(Tensor.constant(Nd4j.zeros(DataType.FLOAT, 77)), new int[] {1}));
        assertTrue(e.getMessage().contains("(N, V)") && e.getMessage().contains("[77]"), e.getMessage());
    }

    // ---- mean squared error

    @Test
    void mseMatchesLoopsAndGradients() {
        for (long[] shape : new long[][] {{7}, {3, 4}, {2, 3, 5}}) {
            INDArray p = randn(rng, shape);
            INDArray t = randn(rng, shape);
            double[] pv = p.dup('c').data().asDouble();
            double[] tv = t.dup('c').data().asDouble();
            double s = 0;
            for (int i = 0; i < pv.length; i++) s += (pv[i] - tv[i]) * (pv[i] - tv[i]);
            assertEquals(s / pv.length, MseLoss.apply(Tensor.constant(p), Tensor.constant(t)).item(), 1e-12);
            assertEquals(s, MseLoss.apply(Tensor.constant(p), Tensor.constant(t), Reduction.SUM).item(), 1e-12);
            assertEquals(s / pv.length, MseLoss.apply(Tensor.constant(p.castTo(DataType.FLOAT)),
                    Tensor.constant(t.castTo(DataType.FLOAT))).item(), 1e-5);
            assertGradOk(GradCheck.check(in -> MseLoss.apply(in.get(0), in.get(1)), p, t));
            assertGradOk(GradCheck.check(in -> MseLoss.apply(in.get(0), in.get(1), Reduction.SUM), p, t));
        }
        INDArray p = randn(rng, 4, 3);
        assertGradOk(GradCheck.check(in -> MseLoss.apply(in.get(0).transpose(0, 1), in.get(1)), p, randn(rng, 3, 4)));
    }

    @Test
    void mseKnownAnswerAndBadShapes() {
        Tensor p = Tensor.constant(Nd4j.create(new double[] {1, 2, 3, 4}));
        Tensor t = Tensor.constant(Nd4j.create(new double[] {1, 0, 3, 7}));
        assertEquals((4 + 9) / 4.0, MseLoss.apply(p, t).item(), 0);
        var e = assertThrows(IllegalArgumentException.class,
                () -> MseLoss.apply(Tensor.constant(Nd4j.zeros(DataType.FLOAT, 4, 3)), Tensor.constant(Nd4j.zeros(DataType.FLOAT, 3))));
        assertEquals("mseLoss: expected operands of the same shape, got [4, 3] and [3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MseLoss.apply(Tensor.constant(Nd4j.zeros(DataType.FLOAT, 3)), Tensor.constant(Nd4j.zeros(DataType.DOUBLE, 3))));
        assertTrue(e.getMessage().contains("FLOAT") && e.getMessage().contains("DOUBLE"), e.getMessage());
    }

    // ---- binary cross-entropy with logits

    @Test
    void bceMatchesTheDefinitionAndGradients() {
        INDArray x = randn(rng, 4, 6).muli(2);
        INDArray z = rng.uniform(DataType.DOUBLE, 0, 1, 4, 6);
        double[] xv = x.dup('c').data().asDouble();
        double[] zv = z.dup('c').data().asDouble();
        double s = 0;
        for (int i = 0; i < xv.length; i++) {
            double p = 1 / (1 + Math.exp(-xv[i]));
            s -= zv[i] * Math.log(p) + (1 - zv[i]) * Math.log(1 - p);
        }
        assertEquals(s / xv.length, BceWithLogits.apply(Tensor.constant(x), Tensor.constant(z)).item(), 1e-12);
        assertEquals(s, BceWithLogits.apply(Tensor.constant(x), Tensor.constant(z), Reduction.SUM).item(), 1e-11);
        assertEquals(s / xv.length, BceWithLogits.apply(Tensor.constant(x.castTo(DataType.FLOAT)),
                Tensor.constant(z.castTo(DataType.FLOAT))).item(), 1e-5);
        assertGradOk(GradCheck.check(in -> BceWithLogits.apply(in.get(0), in.get(1)), x, z));
        assertGradOk(GradCheck.check(in -> BceWithLogits.apply(in.get(0), in.get(1), Reduction.SUM), randn(rng, 3, 2, 2).muli(4),
                rng.uniform(DataType.DOUBLE, 0, 1, 3, 2, 2)));
    }

    @Test
    void bceIsStableWhereTheSigmoidSaturates() {
        Tensor x = Tensor.variable(Nd4j.create(new double[] {100, -100, 100, -100, 800}));
        Tensor z = Tensor.constant(Nd4j.create(new double[] {0, 1, 1, 0, 0}));
        Tensor loss = BceWithLogits.apply(x, z, Reduction.SUM);
        assertEquals(100 + 100 + 2 * Math.exp(-100) + 800, loss.item(), 1e-9);  // log(1+e^-100) ~ e^-100
        loss.backward();
        assertClose(Nd4j.create(new double[] {1, -1, 0, 0, 1}), x.grad(), 1e-15);
        Tensor x32 = Tensor.constant(Nd4j.create(new float[] {100, -100, 100, -100}));
        Tensor z32 = Tensor.constant(Nd4j.create(new float[] {0, 1, 1, 0}));
        assertEquals(50.0, BceWithLogits.apply(x32, z32).item(), 1e-4);
        var e = assertThrows(IllegalArgumentException.class, () -> BceWithLogits.apply(x, Tensor.constant(Nd4j.zeros(DataType.DOUBLE, 4))));
        assertEquals("bceWithLogits: expected operands of the same shape, got [5] and [4]", e.getMessage());
    }

    // ---- KL divergence of a diagonal Gaussian to N(0, I)

    @Test
    void gaussianKlKnownAnswersAndLoops() {
        Tensor zero = Tensor.constant(Nd4j.zeros(DataType.DOUBLE, 3, 4));
        assertEquals(0.0, GaussianKl.apply(zero, zero).item(), 0);  // N(0, I) from itself
        // KL(N(m, s^2) || N(0, 1)) = 0.5 (s^2 + m^2 - 1 - ln s^2): m = 1, s^2 = 1 -> 0.5; m = 2, s^2 = 2 -> 0.5 (5 - ln 2).
        Tensor mu = Tensor.constant(Nd4j.create(new double[][] {{1, 2}}));
        Tensor lv = Tensor.constant(Nd4j.create(new double[][] {{0, Math.log(2)}}));
        assertEquals(0.5 + 0.5 * (5 - Math.log(2)), GaussianKl.apply(mu, lv).item(), 1e-14);

        INDArray m = randn(rng, 5, 3);
        INDArray l = randn(rng, 5, 3);
        double s = 0;
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 3; j++) {
                double a = m.getDouble(i, j);
                double b = l.getDouble(i, j);
                s += 0.5 * (Math.exp(b) + a * a - 1 - b);
            }
        assertEquals(s / 5, GaussianKl.apply(Tensor.constant(m), Tensor.constant(l)).item(), 1e-12);
        assertEquals(s, GaussianKl.apply(Tensor.constant(m), Tensor.constant(l), Reduction.SUM).item(), 1e-12);
        assertEquals(s / 5, GaussianKl.apply(Tensor.constant(m.castTo(DataType.FLOAT)),
                Tensor.constant(l.castTo(DataType.FLOAT))).item(), 1e-5);
    }

    @Test
    void gaussianKlGradientsAndBadShapes() {
        assertGradOk(GradCheck.check(in -> GaussianKl.apply(in.get(0), in.get(1)), randn(rng, 4, 3), randn(rng, 4, 3)));
        assertGradOk(GradCheck.check(in -> GaussianKl.apply(in.get(0), in.get(1), Reduction.SUM),
                randn(rng, 2, 2, 3), randn(rng, 2, 2, 3)));
        var e = assertThrows(IllegalArgumentException.class, () -> GaussianKl.apply(
                Tensor.constant(Nd4j.zeros(DataType.FLOAT, 8, 16)), Tensor.constant(Nd4j.zeros(DataType.FLOAT, 8, 15))));
        assertEquals("gaussianKl: expected operands of the same shape, got [8, 16] and [8, 15]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GaussianKl.apply(
                Tensor.constant(Nd4j.zeros(DataType.FLOAT, 16)), Tensor.constant(Nd4j.zeros(DataType.FLOAT, 16))));
        assertTrue(e.getMessage().contains("(B, Z)") && e.getMessage().contains("[16]"), e.getMessage());
    }
}
