package dev.tinygen.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import dev.tinygen.nn.Parameter;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Each optimizer against a plain double-precision transcription of PyTorch's update rule, over several steps with
 * fixed gradients and a changing learning rate, comparing every element; both the Java-loop and the ND4J-op path.
 */
class OptimizerReferenceTest {
    static final long[][] SHAPES = {{3, 4}, {4}, {2, 3, 2}, {}};
    static final boolean[] DECAY = {true, false, true, false};
    static final int STEPS = 5;

    /** Named parameters of {@link #SHAPES} with values from {@code seed}. */
    static Map<String, Parameter> params(DataType dtype, long seed) {
        Rng rng = new Rng(seed);
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (int i = 0; i < SHAPES.length; i++)
            out.put("p" + i, new Parameter(rng.normal(DataType.DOUBLE, 1.0, SHAPES[i]).castTo(dtype), DECAY[i]));
        return out;
    }

    /** grads[step][param], doubles; large enough spread to make eps and the moments matter. */
    static double[][][] gradients(long seed) {
        Rng rng = new Rng(seed);
        double[][][] g = new double[STEPS][SHAPES.length][];
        for (int s = 0; s < STEPS; s++)
            for (int i = 0; i < SHAPES.length; i++) {
                g[s][i] = new double[(int) length(SHAPES[i])];
                for (int j = 0; j < g[s][i].length; j++) g[s][i][j] = rng.nextGaussian() * (j % 3 == 0 ? 1e-3 : 1.0);
            }
        return g;
    }

    static long length(long[] shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }

    static double[][] values(Map<String, Parameter> ps) {
        List<double[]> out = new ArrayList<>();
        for (Parameter p : ps.values()) out.add(p.value().castTo(DataType.DOUBLE).reshape(-1).toDoubleVector());
        return out.toArray(new double[0][]);
    }

    static double lrAt(int step) {
        return 0.01 * (1 + 0.5 * step);
    }

    /** Runs the optimizer for {@link #STEPS} steps with the given gradients, returns its parameters. */
    static Map<String, Parameter> run(DataType dtype, Function<Map<String, Parameter>, FlatOptimizer> make, boolean loops,
                                      double[][][] grads) {
        Map<String, Parameter> ps = params(dtype, 5);
        FlatOptimizer opt = make.apply(ps);
        opt.useJavaLoops(loops);
        List<Parameter> list = new ArrayList<>(ps.values());
        for (int s = 0; s < STEPS; s++) {
            opt.zeroGrad();
            for (int i = 0; i < list.size(); i++) {
                INDArray g = Nd4j.create(grads[s][i], SHAPES[i], DataType.DOUBLE).castTo(dtype);
                // d/dp sum(p * g) = g, through backward, so the gradient must land in the rebound flat buffer
                list.get(i).mul(Tensor.constant(g)).sum().backward();
            }
            opt.setLearningRate(lrAt(s));
            opt.step();
        }
        assertEquals(STEPS, opt.stepCount());
        return ps;
    }

    static void assertMatches(double[][] expected, Map<String, Parameter> actual, double tol) {
        double[][] got = values(actual);
        for (int i = 0; i < expected.length; i++)
            for (int j = 0; j < expected[i].length; j++)
                assertEquals(expected[i][j], got[i][j], tol * Math.max(1, Math.abs(expected[i][j])), "param " + i + " element " + j);
    }

    static double tolerance(DataType dtype) {
        return dtype == DataType.DOUBLE ? 1e-12 : 2e-6;
    }

    @ParameterizedTest
    @CsvSource({"DOUBLE,true,0.9,0.0", "DOUBLE,false,0.9,0.01", "FLOAT,true,0.9,0.01", "FLOAT,false,0.0,0.0",
                "DOUBLE,true,0.0,0.1"})
    void sgdMatchesReference(DataType dtype, boolean loops, double momentum, double wd) {
        double[][][] grads = gradients(17);
        double[][] p = values(params(dtype, 5));
        double[][] buf = new double[p.length][];
        for (int i = 0; i < p.length; i++) buf[i] = new double[p[i].length];
        for (int s = 0; s < STEPS; s++)
            for (int i = 0; i < p.length; i++)
                for (int j = 0; j < p[i].length; j++) {
                    double g = grads[s][i][j] + (DECAY[i] ? wd * p[i][j] : 0);
                    if (momentum != 0) {
                        buf[i][j] = s == 0 ? g : momentum * buf[i][j] + g;  // PyTorch: buf = clone(g) at first
                        g = buf[i][j];
                    }
                    p[i][j] -= lrAt(s) * g;
                }
        assertMatches(p, run(dtype, ps -> new Sgd(ps, 1.0, momentum, wd), loops, grads), tolerance(dtype));
    }

    @ParameterizedTest
    @CsvSource({"DOUBLE,true,false,0.0", "DOUBLE,true,false,0.05", "DOUBLE,true,true,0.1", "DOUBLE,false,true,0.1",
                "DOUBLE,false,false,0.05", "FLOAT,true,true,0.1", "FLOAT,false,true,0.1", "FLOAT,true,false,0.05"})
    void adamAndAdamWMatchReference(DataType dtype, boolean loops, boolean decoupled, double wd) {
        double b1 = 0.9, b2 = 0.95, eps = 1e-3;  // a large eps, so its placement in the formula is tested
        double[][][] grads = gradients(23);
        double[][] p = values(params(dtype, 5));
        double[][] m = new double[p.length][], v = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            m[i] = new double[p[i].length];
            v[i] = new double[p[i].length];
        }
        for (int s = 0; s < STEPS; s++) {
            int t = s + 1;
            double lr = lrAt(s);
            for (int i = 0; i < p.length; i++)
                for (int j = 0; j < p[i].length; j++) {
                    double g = grads[s][i][j];
                    if (DECAY[i] && decoupled) p[i][j] *= 1 - lr * wd;
                    if (DECAY[i] && !decoupled) g += wd * p[i][j];
                    m[i][j] = b1 * m[i][j] + (1 - b1) * g;
                    v[i][j] = b2 * v[i][j] + (1 - b2) * g * g;
                    double denom = Math.sqrt(v[i][j]) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
                    p[i][j] -= lr / (1 - Math.pow(b1, t)) * m[i][j] / denom;
                }
        }
        Function<Map<String, Parameter>, FlatOptimizer> make = decoupled
                ? ps -> new AdamW(ps, 1.0, b1, b2, eps, wd)
                : ps -> new Adam(ps, 1.0, b1, b2, eps, wd);
        // libnd4j's kernel rounds its bias-corrected step size in float, hence a looser float bound on that path
        double tol = dtype == DataType.FLOAT && !loops ? 1e-5 : tolerance(dtype);
        assertMatches(p, run(dtype, make, loops, grads), tol);
    }

    @ParameterizedTest
    @CsvSource({"true", "false"})
    void adamWDecaysMatricesOnlyUnlessGroupsAreGiven(boolean loops) {
        Map<String, Parameter> ps = params(DataType.DOUBLE, 3);
        double[][] before = values(ps);
        AdamW opt = new AdamW(ps, 0.1, 0.9, 0.999, 1e-8, 0.5);
        opt.useJavaLoops(loops);
        opt.step();  // zero gradients: only the decay moves anything
        double[][] after = values(ps);
        for (int i = 0; i < before.length; i++)
            for (int j = 0; j < before[i].length; j++)
                assertEquals(before[i][j] * (DECAY[i] ? 1 - 0.1 * 0.5 : 1.0), after[i][j], 1e-15, "param " + i);

        Map<String, Parameter> ps2 = params(DataType.DOUBLE, 3);
        Map<String, Parameter> decayed = new LinkedHashMap<>(), plain = new LinkedHashMap<>();
        ps2.forEach((k, p) -> (k.equals("p1") ? decayed : plain).put(k, p));  // only the bias decays
        AdamW explicit = new AdamW(decayed, plain, 0.1, 0.9, 0.999, 1e-8, 0.5);
        explicit.useJavaLoops(loops);
        explicit.step();
        double[][] after2 = values(ps2);
        for (int i = 0; i < before.length; i++)
            for (int j = 0; j < before[i].length; j++)
                assertEquals(before[i][j] * (i == 1 ? 1 - 0.1 * 0.5 : 1.0), after2[i][j], 1e-15, "param " + i);
    }

    @ParameterizedTest
    @CsvSource({"true", "false"})
    void zeroLearningRateMovesNothing(boolean loops) {
        Map<String, Parameter> ps = params(DataType.FLOAT, 3);
        double[][] before = values(ps);
        AdamW opt = new AdamW(ps, 0.0, 0.1);
        opt.useJavaLoops(loops);
        for (Parameter p : ps.values()) p.grad().assign(1);
        opt.step();
        double[][] after = values(ps);
        for (int i = 0; i < before.length; i++) assertTrue(java.util.Arrays.equals(before[i], after[i]), "param " + i);
    }

    @ParameterizedTest
    @CsvSource({"true", "false"})
    void tiedParameterIsUpdatedOnce(boolean loops) {
        Parameter w = new Parameter(Nd4j.ones(DataType.DOUBLE, 2, 2));
        Map<String, Parameter> named = new LinkedHashMap<>();
        named.put("wte.weight", w);
        named.put("lm_head.weight", w);
        Sgd opt = new Sgd(named, 0.5);
        opt.useJavaLoops(loops);
        assertEquals(List.of("wte.weight"), List.copyOf(opt.parameters().keySet()));
        w.grad().assign(1);
        opt.step();
        assertEquals(0.5, w.value().getDouble(0, 1), 0);
        assertSame(w, opt.parameters().get("wte.weight"));
    }
}
