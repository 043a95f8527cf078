package dev.tinygen.nn.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.tinygen.nn.Module;
import dev.tinygen.nn.Parameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An exponential moving average of a module's parameters, kept in a second module of the same architecture:
 *
 * <pre>
 *   averaged = d * averaged + (1 - d) * trained        after every optimizer step
 *   d        = min(decay, (1 + t) / (10 + t))          t = updates so far: early on the average follows closely
 * </pre>
 *
 * A GAN's generator wanders around a good solution as the two networks chase each other; the average of its
 * recent weights sits nearer the middle and draws cleaner samples than any single iterate (Yazici et al. 2019,
 * "The Unusual Effectiveness of Averaging in GAN Training"). The averaged module is only read, never trained.
 *
 * <p>Buffers (batch norm's running statistics) are not averaged but copied: the averaged module never runs in
 * training mode, so it has no statistics of its own, and each update hands it the trained module's current ones, as
 * StyleGAN's generator average does.
 *
 * <p>Shape: every parameter and buffer of {@code averaged} has the shape of the same-named one of {@code trained}.
 */
public final class ParameterAverage {
    private final List<Parameter> trained = new ArrayList<>();
    private final List<Parameter> averaged = new ArrayList<>();
    private final Module trainedModule;
    private final Module averagedModule;
    private final double decay;
    private long updates;

    /**
     * Starts the average at {@code trained}'s current values (parameters and buffers copied into {@code averaged}).
     *
     * @param decay the weight d of the old average, in [0, 1); 0.999 averages over roughly the last 1,000 steps
     */
    public ParameterAverage(Module trained, Module averaged, double decay) {
        if (!(decay >= 0 && decay < 1))
            throw new IllegalArgumentException("parameter average: decay must be in [0, 1), got " + decay);
        Map<String, Parameter> t = trained.namedParameters();
        Map<String, Parameter> a = averaged.namedParameters();
        checkSameLayout("parameter", values(t), values(a));
        checkSameLayout("buffer", trained.namedBuffers(), averaged.namedBuffers());
        for (var e : t.entrySet()) {
            Parameter src = e.getValue(), dst = a.get(e.getKey());
            dst.value().assign(src.value());
            this.trained.add(src);
            this.averaged.add(dst);
        }
        this.trainedModule = trained;
        this.averagedModule = averaged;
        copyBuffers();
        this.decay = decay;
    }

    /**
     * Folds the trained module's current parameter values into the average and copies its buffers over; call after
     * each optimizer step.
     */
    public void update() {
        double d = currentDecay();
        for (int i = 0; i < trained.size(); i++) {
            INDArray avg = averaged.get(i).value();
            INDArray src = trained.get(i).value();
            avg.muli(d);
            Nd4j.getBlasWrapper().level1().axpy(avg.length(), 1 - d, src, avg);  // avg += (1 - d) * src
        }
        copyBuffers();
        updates++;
    }

    /** The same names, in any order, each with the same shape and type on both sides. */
    private static void checkSameLayout(String kind, Map<String, INDArray> trained, Map<String, INDArray> averaged) {
        if (!trained.keySet().equals(averaged.keySet()))
            throw new IllegalArgumentException("parameter average: the averaged module's %ss %s differ from the trained module's %s"
                    .formatted(kind, averaged.keySet(), trained.keySet()));
        for (var e : trained.entrySet()) {
            INDArray src = e.getValue(), dst = averaged.get(e.getKey());
            if (!Arrays.equals(src.shape(), dst.shape()) || src.dataType() != dst.dataType())
                throw new IllegalArgumentException("parameter average: %s '%s' is %s %s in the trained module but %s %s in the averaged one"
                        .formatted(kind, e.getKey(), src.dataType(), Arrays.toString(src.shape()), dst.dataType(), Arrays.toString(dst.shape())));
        }
    }

    private static Map<String, INDArray> values(Map<String, Parameter> params) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        params.forEach((k, p) -> out.put(k, p.value()));
        return out;
    }

    /** Buffers are looked up by name each time: {@link Module#to} replaces a buffer's array. */
    private void copyBuffers() {
        Map<String, INDArray> ab = averagedModule.namedBuffers();
        for (var e : trainedModule.namedBuffers().entrySet()) ab.get(e.getKey()).assign(e.getValue());
    }

    /** The weight of the old average the next {@link #update} will use. */
    public double currentDecay() {
        return Math.min(decay, (1.0 + updates) / (10.0 + updates));
    }

    public double decay() {
        return decay;
    }

    /** Updates so far. */
    public long updates() {
        return updates;
    }
}
