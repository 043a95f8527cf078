package dev.tinygen.nn.optim;

/**
 * The learning rate for a training step, so a training loop reads {@code opt.setLearningRate(schedule.at(step))}.
 * Steps count from 0.
 *
 * <p>Shape: none; a step number in, a learning rate out.
 */
@FunctionalInterface
public interface LearningRateSchedule {
    double at(int step);
}
