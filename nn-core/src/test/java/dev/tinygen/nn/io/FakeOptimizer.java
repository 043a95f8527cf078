package dev.tinygen.nn.io;

import dev.tinygen.nn.optim.Optimizer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** An optimizer with a step counter and one moment buffer per parameter, validating as the interface asks. */
class FakeOptimizer implements Optimizer {
    final Map<String, INDArray> state = new LinkedHashMap<>();

    FakeOptimizer(TinyModel model, double fill) {
        state.put("step", Nd4j.scalar(DataType.LONG, (long) fill));
        for (var e : model.namedParameters().entrySet())
            state.put("m." + e.getKey(), Nd4j.valueArrayOf(e.getValue().shape(), fill, e.getValue().dtype()));
    }

    @Override public void step() {}

    @Override public void zeroGrad() {}

    @Override public double learningRate() {
        return 0;
    }

    @Override public void setLearningRate(double lr) {}

    @Override public Map<String, INDArray> state() {
        Map<String, INDArray> copy = new LinkedHashMap<>();
        state.forEach((k, v) -> copy.put(k, v.dup()));
        return copy;
    }

    @Override public void loadState(Map<String, INDArray> s) {
        if (!s.keySet().equals(state.keySet()))
            throw new IllegalArgumentException("optimizer state: expected names " + state.keySet() + ", got " + s.keySet());
        for (var e : s.entrySet()) {
            INDArray mine = state.get(e.getKey());
            if (!Arrays.equals(mine.shape(), e.getValue().shape()) || mine.dataType() != e.getValue().dataType())
                throw new IllegalArgumentException("optimizer state '%s': expected %s %s, got %s %s".formatted(e.getKey(),
                        mine.dataType(), Arrays.toString(mine.shape()), e.getValue().dataType(),
                        Arrays.toString(e.getValue().shape())));
        }
        s.forEach((k, v) -> state.get(k).assign(v));
    }
}
