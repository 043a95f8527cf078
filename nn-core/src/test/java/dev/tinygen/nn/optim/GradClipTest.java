package dev.tinygen.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.tinygen.nn.Parameter;
import dev.tinygen.nn.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class GradClipTest {
    /** Parameters with random gradients; returns the gradients' sum of squares, by a loop over doubles. */
    private static double fill(Map<String, Parameter> ps, long seed) {
        Rng rng = new Rng(seed);
        double s = 0;
        for (Parameter p : ps.values()) {
            INDArray g = rng.normal(DataType.DOUBLE, 1.0, p.shape());
            p.grad().assign(g.castTo(p.dtype()));
            for (double x : p.grad().castTo(DataType.DOUBLE).reshape(-1).toDoubleVector()) s += x * x;
        }
        return s;
    }

    private static List<double[]> grads(Map<String, Parameter> ps) {
        List<double[]> out = new ArrayList<>();
        for (Parameter p : ps.values()) out.add(p.grad().castTo(DataType.DOUBLE).reshape(-1).toDoubleVector());
        return out;
    }

    /** The clip through the list API or through the optimizer's flat buffers. */
    private static double clip(Map<String, Parameter> ps, String how, double maxNorm) {
        return switch (how) {
            case "list" -> GradClip.clipByGlobalNorm(new ArrayList<>(ps.values()), maxNorm);
            case "flatLoops", "flatOps" -> {
                Sgd opt = new Sgd(ps, 0.1);
                opt.useJavaLoops(how.equals("flatLoops"));
                yield opt.clipGradNorm(maxNorm);
            }
            default -> throw new IllegalArgumentException(how);
        };
    }

    @ParameterizedTest
    @CsvSource({"list,DOUBLE", "flatLoops,DOUBLE", "flatOps,DOUBLE", "list,FLOAT", "flatLoops,FLOAT", "flatOps,FLOAT"})
    void scalesWhenAboveAndLeavesAloneWhenBelow(String how, DataType dtype) {
        double tol = dtype == DataType.DOUBLE ? 1e-12 : 1e-6;
        Map<String, Parameter> ps = OptimizerReferenceTest.params(dtype, 1);
        double norm = Math.sqrt(fill(ps, 2));
        List<double[]> before = grads(ps);

        assertEquals(norm, clip(ps, how, norm * 2), tol * norm, "returned norm");
        List<double[]> same = grads(ps);
        for (int i = 0; i < before.size(); i++) assertTrue(java.util.Arrays.equals(before.get(i), same.get(i)), "untouched " + i);

        double max = norm / 4;
        assertEquals(norm, clip(ps, how, max), tol * norm, "returned norm");
        List<double[]> after = grads(ps);
        double scale = max / (norm + 1e-6);
        double s = 0;
        for (int i = 0; i < before.size(); i++)
            for (int j = 0; j < before.get(i).length; j++) {
                assertEquals(before.get(i)[j] * scale, after.get(i)[j], tol, "param " + i + " element " + j);
                s += after.get(i)[j] * after.get(i)[j];
            }
        assertEquals(max * norm / (norm + 1e-6), Math.sqrt(s), tol * 10 * max, "norm after clipping");
    }

    @ParameterizedTest
    @CsvSource({"true", "false"})
    void largeBufferSplitAcrossThreadsGivesTheSameNorm(boolean loops) {
        Parameter big = new Parameter(new Rng(4).normal(DataType.FLOAT, 1.0, 300_001));
        big.grad().assign(big.value());
        double expected = 0;
        for (double x : big.value().castTo(DataType.DOUBLE).toDoubleVector()) expected += x * x;
        Sgd opt = new Sgd(Map.of("big", big), 0.1);
        opt.useJavaLoops(loops);
        // the Java loop sums in double; ND4J's float norm2 sums in float (measured 1.3e-5 relative error here)
        double tol = loops ? 1e-7 : 1e-4;
        assertEquals(Math.sqrt(expected), opt.clipGradNorm(1e9), tol * Math.sqrt(expected));
    }

    @ParameterizedTest
    @CsvSource({"true", "false"})
    void repeatedParameterCountsOnceAndBadMaxNormIsReported(boolean flat) {
        Map<String, Parameter> ps = OptimizerReferenceTest.params(DataType.DOUBLE, 1);
        double norm = Math.sqrt(fill(ps, 3));
        List<Parameter> twice = new ArrayList<>(ps.values());
        twice.addAll(ps.values());
        assertEquals(norm, GradClip.clipByGlobalNorm(twice, 1e9), 1e-12 * norm);
        var e = assertThrows(IllegalArgumentException.class, () -> {
            if (flat) new Sgd(ps, 0.1).clipGradNorm(-2);
            else GradClip.clipByGlobalNorm(twice, -2);
        });
        assertTrue(e.getMessage().contains("-2"), e.getMessage());
    }
}
