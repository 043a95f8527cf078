package dev.tinygen.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every benchmark method once, directly (not through JMH), so the suite cannot rot: a benchmark whose setup
 * throws, whose shapes no longer fit the ops, or that JMH's list does not know fails here. Timings are not asserted.
 */
class BenchmarkSmokeTest {
    /** JMH guards direct construction of a Blackhole with this sentence. */
    private static final String BLACKHOLE_CHALLENGE =
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.";

    /** The training steps README.md and the runner's notes promise, one per model. */
    private static final List<String> TRAINING_STEPS = List.of("GptTrainStepBench.step", "MlpStepBench.step",
            "VaeTrainStepBench.step", "GanStepBench.mlp", "GanStepBench.dcgan");

    @Test
    void everyListedBenchmarkRunsOnce() throws Exception {
        Set<String> listed = new TreeSet<>();
        for (BenchmarkListEntry e : BenchmarkList.defaultList()
                .getAll(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of()))
            listed.add(e.getUsername());
        assertFalse(listed.isEmpty(), "JMH's generated benchmark list is empty: is the annotation processor configured?");
        for (String step : TRAINING_STEPS)
            assertTrue(listed.contains("dev.tinygen.bench." + step), "JMH does not list " + step + "; it lists " + listed);

        Set<String> ran = new TreeSet<>();
        Set<String> classes = new TreeSet<>();
        for (String name : listed) classes.add(name.substring(0, name.lastIndexOf('.')));
        Blackhole bh = new Blackhole(BLACKHOLE_CHALLENGE);
        for (String cls : classes) {
            long t0 = System.nanoTime();
            ran.addAll(runOnce(Class.forName(cls), bh));
            System.out.printf("%s: %.2f s%n", cls, (System.nanoTime() - t0) / 1e9);
        }
        assertEquals(listed, ran, "every benchmark JMH lists must have run once");
    }

    /** Sets each @Param to its first value, runs setups, every @Benchmark method once, then teardowns. */
    private static List<String> runOnce(Class<?> cls, Blackhole bh) throws Exception {
        Object state = cls.getDeclaredConstructor().newInstance();
        for (Field f : cls.getDeclaredFields()) {
            Param p = f.getAnnotation(Param.class);
            if (p == null) continue;
            assertTrue(p.value().length > 0, cls.getSimpleName() + "." + f.getName() + ": @Param lists no values");
            String v = p.value()[0];
            if (f.getType() == int.class) f.setInt(state, Integer.parseInt(v));
            else f.set(state, v);
        }
        List<Method> benchmarks = new ArrayList<>();
        for (Method m : cls.getDeclaredMethods()) if (m.isAnnotationPresent(Benchmark.class)) benchmarks.add(m);
        benchmarks.sort(Comparator.comparing(Method::getName));
        invokeAll(state, cls, Setup.class, Level.Trial);
        List<String> ran = new ArrayList<>();
        for (Method m : benchmarks) {
            invokeAll(state, cls, Setup.class, Level.Invocation);
            try {
                if (m.getParameterCount() == 0) m.invoke(state);
                else m.invoke(state, bh);
            } catch (InvocationTargetException e) {
                throw new AssertionError(cls.getSimpleName() + "." + m.getName() + " failed: " + e.getCause(), e.getCause());
            }
            ran.add(cls.getName() + "." + m.getName());
        }
        invokeAll(state, cls, TearDown.class, Level.Trial);
        return ran;
    }

    private static void invokeAll(Object state, Class<?> cls, Class<? extends java.lang.annotation.Annotation> kind,
                                  Level level) throws Exception {
        for (Method m : cls.getDeclaredMethods()) {
            Level at = kind == Setup.class ? (m.isAnnotationPresent(Setup.class) ? m.getAnnotation(Setup.class).value() : null)
                    : (m.isAnnotationPresent(TearDown.class) ? m.getAnnotation(TearDown.class).value() : null);
            if (at == level) m.invoke(state);
        }
    }

    @Test
    void gemmShapeParsingNamesTheBadValue() {
        assertEquals(List.of(768L, 128L, 77L), java.util.Arrays.stream(GemmBench.parse("768x128x77")).boxed().toList());
        for (String bad : new String[] {"768x128", "768x0x5", "768x-1x5", "axbxc"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> GemmBench.parse(bad));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void generationRejectsAContextOutsideTheBlock() {
        GenerateTokenBench b = new GenerateTokenBench();
        b.context = 64;
        var e = assertThrows(IllegalArgumentException.class, b::setUp);
        assertTrue(e.getMessage().contains("got 64"), e.getMessage());
    }
}
