package dev.tinygen.nn.optim;

/**
 * The same learning rate at every step.
 *
 * <p>Shape: none; a step number in, a learning rate out.
 */
public record Constant(double lr) implements LearningRateSchedule {
    public Constant {
        FlatOptimizer.checkLearningRate("constant schedule", lr);
    }

    @Override
    public double at(int step) {
        if (step < 0) throw new IllegalArgumentException("constant schedule: step must be >= 0, got " + step);
        return lr;
    }
}
