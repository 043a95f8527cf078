package dev.tinygen.nn.optim;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import dev.tinygen.nn.Parameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The common ground of {@link Sgd}, {@link Adam} and {@link AdamW}: parameters in two groups, each laid out in one
 * flat buffer, so a step, a gradient clip or a zeroing is one pass per group instead of a few ops per parameter.
 *
 * <p><b>Groups.</b> Built from one map of named parameters (usually {@code model.namedParameters()}), the
 * parameters whose {@link Parameter#decay()} is true (matrices) form the decay group and the others (biases, norm
 * gains) the no-decay group; weight decay applies to the decay group only. Constructors that take two maps put
 * exactly the given parameters in each group, whatever their {@code decay()} says:
 *
 * <pre>{@code
 * Map<String, Parameter> decayed = new LinkedHashMap<>(), plain = new LinkedHashMap<>();
 * model.namedParameters().forEach((name, p) -> (name.startsWith("wte") ? plain : decayed).put(name, p));
 * AdamW opt = new AdamW(decayed, plain, 6e-4, 0.9, 0.95, 1e-8, 0.1);
 * }</pre>
 *
 * A parameter registered under several names (tied weights) is updated once, under its first name.
 *
 * <p><b>Flat layout.</b> Construction {@link Parameter#rebind rebinds} every parameter to views of its group's
 * buffers (values copied, nothing else changes for the model). Two optimizers over the same parameters would
 * therefore fight over their storage: make one optimizer per parameter set and keep it.
 *
 * <p><b>Arithmetic.</b> On the CPU backend with float32 or float64 parameters, updates run as one Java loop over
 * the group's native buffers, split over the common fork-join pool for large groups: one pass that reads each
 * gradient, moment and value once, measured faster than libnd4j's {@code adam_updater} and far faster than the
 * same update in separate ND4J ops (each op costs 7-60 us whatever its size). Elsewhere (a GPU backend, half
 * precision) the update is a few whole-vector ND4J ops per group.
 *
 * <p><b>State.</b> {@link #state()} names each entry after the parameter it belongs to ({@code m.fc1.weight}) plus
 * {@code step}, so a checkpoint reads the same whatever the grouping.
 *
 * <p>Shape: each group's value, gradient and state buffers are {@code (n)}, {@code n} the group's element count;
 * every parameter and state entry keeps its parameter's shape as a view.
 */
public abstract class FlatOptimizer implements Optimizer {
    /** Below this many elements per thread, splitting a loop costs more than it saves. */
    private static final int MIN_CHUNK = 1 << 15;
    /** Elements a Java update loop copies out of the direct buffers at a time (8 KB per float array: L1-resident). */
    static final int CHUNK = 2048;

    final String name;
    final List<FlatGroup> groups;
    private double lr;
    private long step;
    private boolean javaLoops;

    FlatOptimizer(String name, Map<String, Parameter> decayed, Map<String, Parameter> notDecayed, double lr) {
        this.name = name;
        checkLearningRate(name, lr);
        this.lr = lr;
        if (decayed == null || notDecayed == null)
            throw new IllegalArgumentException(name + ": parameter maps must not be null");
        Map<Parameter, String> seen = new IdentityHashMap<>();
        Map<String, Parameter> d = unique(name, decayed, seen, null);
        Map<String, Parameter> n = unique(name, notDecayed, seen, decayed);
        if (seen.isEmpty()) throw new IllegalArgumentException(name + ": no parameters to optimise");
        List<FlatGroup> gs = new ArrayList<>();
        if (!d.isEmpty()) gs.add(new FlatGroup(name, true, d));
        if (!n.isEmpty()) gs.add(new FlatGroup(name, false, n));
        this.groups = Collections.unmodifiableList(gs);
        this.javaLoops = Nd4j.getEnvironment().isCPU();
    }

    /** Drops repeated parameters (tied weights) and rejects one given to both groups. */
    private static Map<String, Parameter> unique(String where, Map<String, Parameter> named, Map<Parameter, String> seen,
                                                 Map<String, Parameter> otherGroup) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (var e : named.entrySet()) {
            if (e.getValue() == null) throw new IllegalArgumentException(where + ": parameter '" + e.getKey() + "' is null");
            String first = seen.putIfAbsent(e.getValue(), e.getKey());
            if (first == null) out.put(e.getKey(), e.getValue());
            else if (otherGroup != null && otherGroup.containsKey(first))
                throw new IllegalArgumentException("%s: parameter '%s' is in both groups (as '%s' too)".formatted(where, e.getKey(), first));
        }
        return out;
    }

    /** The parameters by {@link Parameter#decay()}: element 0 those it applies to, element 1 the others. */
    static List<Map<String, Parameter>> splitByDecay(String where, Map<String, Parameter> named) {
        if (named == null) throw new IllegalArgumentException(where + ": parameter map must not be null");
        Map<String, Parameter> d = new LinkedHashMap<>(), n = new LinkedHashMap<>();
        named.forEach((k, p) -> (p != null && p.decay() ? d : n).put(k, p));
        return List.of(d, n);
    }

    static void checkLearningRate(String where, double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr))
            throw new IllegalArgumentException(where + ": learning rate must be finite and >= 0, got " + lr);
    }

    static void checkUnit(String where, String what, double x) {
        if (!(x >= 0 && x < 1))
            throw new IllegalArgumentException("%s: %s must be in [0, 1), got %s".formatted(where, what, x));
    }

    static void checkNonNegative(String where, String what, double x) {
        if (!(x >= 0) || Double.isInfinite(x))
            throw new IllegalArgumentException("%s: %s must be finite and >= 0, got %s".formatted(where, what, x));
    }

    @Override
    public final void step() {
        step++;
        for (int i = 0; i < groups.size(); i++) {
            FlatGroup g = groups.get(i);
            if (javaLoops && (g.dtype == DataType.FLOAT || g.dtype == DataType.DOUBLE)) {
                final int gi = i;
                parallel(g.length, (from, to) -> updateLoop(g, gi, from, to));
            } else {
                updateOps(g, i);
            }
        }
    }

    /** One update of elements {@code [from, to)} of group {@code gi}, at step {@link #stepCount()}, by a Java loop. */
    abstract void updateLoop(FlatGroup g, int gi, int from, int to);

    /** The same update as whole-vector ND4J ops. */
    abstract void updateOps(FlatGroup g, int gi);

    /** Names of the per-parameter state kinds, e.g. {@code m}, {@code v}; entries are {@code kind.paramName}. */
    abstract List<String> stateKinds();

    /** The flat buffer of one state kind for group {@code gi}. */
    abstract INDArray stateBuffer(String kind, int gi);

    @Override
    public final void zeroGrad() {
        for (FlatGroup g : groups) g.grads.assign(0);
    }

    @Override
    public final double learningRate() {
        return lr;
    }

    @Override
    public final void setLearningRate(double lr) {
        checkLearningRate(name, lr);
        this.lr = lr;
    }

    /** Updates applied so far (the {@code t} of Adam's bias correction after the next step is this plus one). */
    public final long stepCount() {
        return step;
    }

    /** Every parameter this optimizer updates, by name, tied duplicates removed, decay group first. */
    public final Map<String, Parameter> parameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (FlatGroup g : groups)
            for (int i = 0; i < g.params.size(); i++) out.put(g.names.get(i), g.params.get(i));
        return Collections.unmodifiableMap(out);
    }

    /**
     * {@link GradClip#clipByGlobalNorm} over this optimizer's parameters, done on the flat gradient buffers: one
     * pass to measure and, when clipping, one to scale.
     *
     * @return the global gradient norm before clipping
     */
    public final double clipGradNorm(double maxNorm) {
        GradClip.checkMaxNorm(maxNorm);
        double sumSq = 0;
        for (FlatGroup g : groups) sumSq += sumOfSquares(g);
        double norm = Math.sqrt(sumSq);
        double scale = GradClip.scale(norm, maxNorm);
        if (scale < 1) for (FlatGroup g : groups) g.grads.muli(scale);
        return norm;
    }

    private double sumOfSquares(FlatGroup g) {
        if (!(javaLoops && (g.dtype == DataType.FLOAT || g.dtype == DataType.DOUBLE))) {
            double n = g.grads.norm2Number().doubleValue();
            return n * n;
        }
        int chunks = chunks(g.length);
        double[] partial = new double[chunks];
        int per = (g.length + chunks - 1) / chunks;
        IntStream range = IntStream.range(0, chunks);
        (chunks > 1 ? range.parallel() : range).forEach(c -> {
            int from = c * per, to = Math.min(g.length, from + per);
            double s = 0;
            if (g.dtype == DataType.FLOAT) {
                FloatBuffer b = g.floats(g.grads);
                for (int i = from; i < to; i++) {
                    double x = b.get(i);
                    s += x * x;
                }
            } else {
                DoubleBuffer b = g.doubles(g.grads);
                for (int i = from; i < to; i++) {
                    double x = b.get(i);
                    s += x * x;
                }
            }
            partial[c] = s;
        });
        double s = 0;
        for (double p : partial) s += p;
        return s;
    }

    interface RangeBody {
        void run(int from, int to);
    }

    private static int chunks(int n) {
        int threads = ForkJoinPool.getCommonPoolParallelism() + 1;
        return Math.max(1, Math.min(threads, n / MIN_CHUNK));
    }

    /** Runs {@code body} over {@code [0, n)}, split into a chunk per thread when {@code n} is large enough. */
    static void parallel(int n, RangeBody body) {
        int chunks = chunks(n);
        if (chunks == 1) {
            body.run(0, n);
            return;
        }
        int per = (n + chunks - 1) / chunks;
        IntStream.range(0, chunks).parallel().forEach(c -> body.run(c * per, Math.min(n, (c + 1) * per)));
    }

    /** Forces the Java-loop path (true) or the ND4J-op path (false); for tests comparing the two. */
    final void useJavaLoops(boolean on) {
        this.javaLoops = on && Nd4j.getEnvironment().isCPU();
    }

    /** Named copies: {@code kind.paramName} for each state kind and parameter, and {@code step} (int64 scalar). */
    @Override
    public final Map<String, INDArray> state() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        // copies outlive a training step's workspace: a checkpoint writer may hold them
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            out.put("step", Nd4j.scalar(DataType.LONG, step));
            for (String kind : stateKinds())
                for (int gi = 0; gi < groups.size(); gi++) {
                    FlatGroup g = groups.get(gi);
                    INDArray buf = stateBuffer(kind, gi);
                    for (int i = 0; i < g.params.size(); i++) out.put(kind + "." + g.names.get(i), g.view(buf, i).dup('c'));
                }
        }
        return out;
    }

    /**
     * Restores {@link #state()}'s entries. Every expected entry must be present with the parameter's shape and no
     * other entry may be; all are checked before anything changes, and the message names the entry and both shapes.
     */
    @Override
    public final void loadState(Map<String, INDArray> state) {
        if (state == null) throw new IllegalArgumentException(name + " loadState: state must not be null");
        INDArray s = state.get("step");
        if (s == null) throw new IllegalArgumentException(name + " loadState: missing entry 'step'");
        if (s.length() != 1)
            throw new IllegalArgumentException("%s loadState: 'step' must hold one value, got shape %s"
                    .formatted(name, Arrays.toString(s.shape())));
        double sv = s.getDouble(0);
        if (!(sv >= 0) || sv != Math.rint(sv) || sv > Long.MAX_VALUE)
            throw new IllegalArgumentException(name + " loadState: 'step' must be a whole number >= 0, got " + sv);
        TreeSet<String> unexpected = new TreeSet<>(state.keySet());
        unexpected.remove("step");
        for (String kind : stateKinds())
            for (FlatGroup g : groups)
                for (int i = 0; i < g.params.size(); i++) {
                    String key = kind + "." + g.names.get(i);
                    INDArray a = state.get(key);
                    long[] want = g.params.get(i).shape();
                    if (a == null) throw new IllegalArgumentException("%s loadState: missing entry '%s' (shape %s)"
                            .formatted(name, key, Arrays.toString(want)));
                    if (!Arrays.equals(a.shape(), want))
                        throw new IllegalArgumentException("%s loadState: entry '%s' has shape %s, parameter '%s' has shape %s"
                                .formatted(name, key, Arrays.toString(a.shape()), g.names.get(i), Arrays.toString(want)));
                    if (!a.dataType().isFPType())
                        throw new IllegalArgumentException("%s loadState: entry '%s' must be floating point, got %s"
                                .formatted(name, key, a.dataType()));
                    unexpected.remove(key);
                }
        if (!unexpected.isEmpty())
            throw new IllegalArgumentException("%s loadState: unexpected entries %s (expected 'step' and %s.<parameter name>)"
                    .formatted(name, unexpected, String.join("/", stateKinds())));
        for (String kind : stateKinds())
            for (int gi = 0; gi < groups.size(); gi++) {
                FlatGroup g = groups.get(gi);
                INDArray buf = stateBuffer(kind, gi);
                for (int i = 0; i < g.params.size(); i++) {
                    INDArray a = state.get(kind + "." + g.names.get(i));
                    g.view(buf, i).assign(a.dataType() == g.dtype ? a : a.castTo(g.dtype));
                }
            }
        this.step = (long) sv;
    }
}
