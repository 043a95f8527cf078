package dev.tinygen.nn.optim;

/**
 * Linear warmup, then cosine decay: nanoGPT's {@code get_lr}. For step {@code s}, with {@code W = warmupSteps},
 * {@code S = totalSteps}:
 *
 * <pre>
 *   s &lt; W:        lr = peakLr * s / W                                  (0 at step 0, peakLr at step W)
 *   W &lt;= s &lt;= S:  lr = minLr + 0.5 * (1 + cos(pi * (s - W) / (S - W))) * (peakLr - minLr)
 *   s &gt; S:        lr = minLr
 * </pre>
 *
 * This is nanoGPT's original form (warmup from 0, {@code learning_rate * it / warmup_iters}); later nanoGPT
 * versions use {@code (it + 1) / (warmup_iters + 1)} so that step 0 is not wasted. With {@code W = 0} there is
 * no warmup and step 0 has {@code peakLr}.
 *
 * <p>Shape: none; a step number in, a learning rate out.
 */
public record WarmupCosine(double peakLr, int warmupSteps, int totalSteps, double minLr) implements LearningRateSchedule {
    public WarmupCosine {
        FlatOptimizer.checkLearningRate("warmupCosine: peakLr", peakLr);
        if (!(minLr >= 0 && minLr <= peakLr))
            throw new IllegalArgumentException("warmupCosine: minLr must be in [0, peakLr = %s], got %s".formatted(peakLr, minLr));
        if (warmupSteps < 0)
            throw new IllegalArgumentException("warmupCosine: warmupSteps must be >= 0, got " + warmupSteps);
        if (totalSteps <= warmupSteps)
            throw new IllegalArgumentException("warmupCosine: totalSteps (%d) must exceed warmupSteps (%d)"
                    .formatted(totalSteps, warmupSteps));
    }

    @Override
    public double at(int step) {
        if (step < 0) throw new IllegalArgumentException("warmupCosine: step must be >= 0, got " + step);
        if (step < warmupSteps) return peakLr * step / warmupSteps;
        if (step > totalSteps) return minLr;
        double ratio = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return minLr + 0.5 * (1 + Math.cos(Math.PI * ratio)) * (peakLr - minLr);
    }
}
