package dev.tinygen.nn.optim;

/**
 * The learning rate for a training step, so a training loop reads {@code opt.setLearningRate(schedule.at(step))}.
 * Steps count from 0.
 */
@FunctionalInterface
public interface LearningRateSchedule {
    double at(int step);
}
