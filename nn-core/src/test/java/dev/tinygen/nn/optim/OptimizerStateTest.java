package dev.tinygen.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import dev.tinygen.nn.Parameter;
import dev.tinygen.nn.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class OptimizerStateTest {
    private static Function<Map<String, Parameter>, FlatOptimizer> maker(String kind) {
        return switch (kind) {
            case "sgd" -> ps -> new Sgd(ps, 0.05, 0.9, 0.01);
            case "adam" -> ps -> new Adam(ps, 0.05, 0.9, 0.99, 1e-8, 0.01);
            case "adamw" -> ps -> new AdamW(ps, 0.05, 0.9, 0.99, 1e-8, 0.1);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static void steps(FlatOptimizer opt, Map<String, Parameter> ps, long seed, int n) {
        Rng rng = new Rng(seed);
        for (int s = 0; s < n; s++) {
            opt.zeroGrad();
            for (Parameter p : ps.values()) p.grad().assign(rng.normal(p.dtype(), 1.0, p.shape()));
            opt.step();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "adam", "adamw"})
    void roundTripContinuesIdentically(String kind) {
        Map<String, Parameter> a = OptimizerReferenceTest.params(DataType.FLOAT, 1);
        FlatOptimizer optA = maker(kind).apply(a);
        steps(optA, a, 10, 3);
        Map<String, INDArray> saved = optA.state();
        assertEquals(3L, saved.get("step").getLong(0));

        // a second run restored from the first: same weights, loaded optimizer state
        Map<String, Parameter> b = OptimizerReferenceTest.params(DataType.FLOAT, 99);
        b.forEach((k, p) -> p.value().assign(a.get(k).value()));
        FlatOptimizer optB = maker(kind).apply(b);
        optB.loadState(saved);
        assertEquals(3, optB.stepCount());

        steps(optA, a, 20, 3);
        steps(optB, b, 20, 3);
        for (String k : a.keySet())
            assertArrayEquals(a.get(k).value().reshape(-1).toFloatVector(), b.get(k).value().reshape(-1).toFloatVector(), k);
        Map<String, INDArray> sa = optA.state(), sb = optB.state();
        assertEquals(sa.keySet(), sb.keySet());
        for (String k : sa.keySet()) assertEquals(sa.get(k), sb.get(k), k);
    }

    @Test
    void stateIsNamedPerParameterAndCopied() {
        Map<String, Parameter> ps = OptimizerReferenceTest.params(DataType.DOUBLE, 1);
        AdamW opt = new AdamW(ps, 0.1, 0.0);
        steps(opt, ps, 3, 1);
        Map<String, INDArray> st = opt.state();
        assertEquals(List.of("step", "m.p0", "m.p2", "m.p1", "m.p3", "v.p0", "v.p2", "v.p1", "v.p3"), List.copyOf(st.keySet()));
        assertArrayEquals(new long[] {2, 3, 2}, st.get("m.p2").shape());
        assertArrayEquals(new long[0], st.get("v.p3").shape());
        INDArray m0 = st.get("m.p0").dup();
        st.get("m.p0").assign(42);
        assertEquals(m0, opt.state().get("m.p0"));
        assertEquals(List.of("step"), List.copyOf(new Sgd(ps, 0.1).state().keySet()));
        assertEquals(List.of("step", "momentum.p0", "momentum.p2", "momentum.p1", "momentum.p3"),
                List.copyOf(new Sgd(ps, 0.1, 0.9, 0).state().keySet()));
    }

    @Test
    void mismatchedStateIsRefusedAndNothingChanges() {
        Map<String, Parameter> ps = OptimizerReferenceTest.params(DataType.FLOAT, 1);
        Adam opt = new Adam(ps, 0.1);
        steps(opt, ps, 5, 2);
        Map<String, INDArray> before = opt.state();

        Map<String, INDArray> bad = new LinkedHashMap<>(before);
        bad.put("m.p0", before.get("m.p0").add(1));         // a valid change early in the map
        bad.put("v.p2", Nd4j.zeros(DataType.FLOAT, 3, 2, 2));
        var e = assertThrows(IllegalArgumentException.class, () -> opt.loadState(bad));
        assertTrue(e.getMessage().contains("'v.p2'") && e.getMessage().contains("[3, 2, 2]")
                && e.getMessage().contains("[2, 3, 2]"), e.getMessage());
        assertEquals(before.get("m.p0"), opt.state().get("m.p0"));
        assertEquals(2, opt.stepCount());

        Map<String, INDArray> missing = new LinkedHashMap<>(before);
        missing.remove("v.p1");
        e = assertThrows(IllegalArgumentException.class, () -> opt.loadState(missing));
        assertTrue(e.getMessage().contains("missing entry 'v.p1' (shape [4])"), e.getMessage());

        Map<String, INDArray> extra = new LinkedHashMap<>(before);
        extra.put("m.fc9.weight", Nd4j.zeros(DataType.FLOAT, 2));
        e = assertThrows(IllegalArgumentException.class, () -> opt.loadState(extra));
        assertTrue(e.getMessage().contains("m.fc9.weight"), e.getMessage());

        Map<String, INDArray> badStep = new LinkedHashMap<>(before);
        badStep.put("step", Nd4j.scalar(-4.0));
        e = assertThrows(IllegalArgumentException.class, () -> opt.loadState(badStep));
        assertTrue(e.getMessage().contains("-4"), e.getMessage());
        assertEquals(2, opt.stepCount());

        Map<String, INDArray> sgdState = new Sgd(OptimizerReferenceTest.params(DataType.FLOAT, 1), 0.1, 0.9, 0).state();
        e = assertThrows(IllegalArgumentException.class, () -> opt.loadState(sgdState));
        assertTrue(e.getMessage().contains("adam loadState: missing entry 'm.p0'"), e.getMessage());
    }

    @Test
    void badSettingsAreReported() {
        Map<String, Parameter> ps = OptimizerReferenceTest.params(DataType.FLOAT, 1);
        assertMessage(() -> new Sgd(ps, -0.1), "sgd: learning rate must be finite and >= 0, got -0.1");
        assertMessage(() -> new Sgd(ps, 0.1, 1.5, 0), "sgd: momentum must be in [0, 1), got 1.5");
        assertMessage(() -> new AdamW(ps, 1e-3, 1.0, 0.999, 1e-8, 0.1), "adamw: beta1 must be in [0, 1), got 1.0");
        assertMessage(() -> new Adam(ps, 1e-3, 0.9, -0.1, 1e-8, 0), "adam: beta2 must be in [0, 1), got -0.1");
        assertMessage(() -> new Adam(ps, 1e-3, 0.9, 0.999, 0, 0), "adam: eps must be finite and > 0, got 0.0");
        assertMessage(() -> new AdamW(ps, 1e-3, -0.5), "adamw: weight decay must be finite and >= 0, got -0.5");
        assertMessage(() -> new AdamW(Map.of(), 1e-3, 0.1), "adamw: no parameters to optimise");
        assertMessage(() -> new AdamW(ps, ps, 1e-3, 0.9, 0.999, 1e-8, 0.1), "adamw: parameter 'p0' is in both groups");
        assertMessage(() -> new AdamW(ps, 1e-3, 0.1).setLearningRate(Double.POSITIVE_INFINITY),
                "adamw: learning rate must be finite and >= 0, got Infinity");
        Map<String, Parameter> mixed = new LinkedHashMap<>();
        mixed.put("a", new Parameter(Nd4j.zeros(DataType.FLOAT, 2, 2)));
        mixed.put("b", new Parameter(Nd4j.zeros(DataType.DOUBLE, 2, 2)));
        assertMessage(() -> new Sgd(mixed, 0.1), "'a' is FLOAT, 'b' is DOUBLE");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable ex, String part) {
        var e = assertThrows(IllegalArgumentException.class, ex);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void parametersAreViewsOfOneFlatBufferPerGroup() {
        Map<String, Parameter> ps = OptimizerReferenceTest.params(DataType.FLOAT, 1);
        Map<String, float[]> before = new LinkedHashMap<>();
        ps.forEach((k, p) -> before.put(k, p.value().reshape(-1).toFloatVector()));
        Sgd opt = new Sgd(ps, 1.0);
        ps.forEach((k, p) -> assertArrayEquals(before.get(k), p.value().reshape(-1).toFloatVector(), "values kept: " + k));
        assertEquals(2, opt.groups.size());
        FlatGroup decay = opt.groups.get(0);
        assertEquals(List.of("p0", "p2"), decay.names);
        assertEquals(12 + 12, decay.length);
        decay.values.assign(7);
        assertEquals(7f, ps.get("p2").value().getFloat(1, 2, 1));
        ps.get("p3").grad().assign(5);  // the scalar parameter: last element of the no-decay group
        assertEquals(5f, opt.groups.get(1).grads.getFloat(4));
        opt.zeroGrad();
        assertEquals(0.0, ps.get("p3").grad().getDouble(0));
    }
}
