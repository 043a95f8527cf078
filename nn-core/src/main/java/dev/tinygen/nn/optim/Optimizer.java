package dev.tinygen.nn.optim;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Updates parameters from their gradients. State (moments, step count) is exposed by name so a checkpoint can
 * save it and a resumed run continue the same trajectory.
 */
public interface Optimizer {
    /** Applies one update from the current gradients. */
    void step();

    /** Zeroes the gradients of every parameter it updates. */
    void zeroGrad();

    double learningRate();

    void setLearningRate(double lr);

    /** Named copies of the optimizer's state (e.g. {@code m.fc1.weight}, {@code step}). */
    Map<String, INDArray> state();

    /** Restores state saved by {@link #state()}; validates names and shapes before changing anything. */
    void loadState(Map<String, INDArray> state);
}
