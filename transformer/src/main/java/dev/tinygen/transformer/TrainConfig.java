package dev.tinygen.transformer;

/**
 * How a GPT is trained (the recipe around the model): batch, steps, learning-rate schedule, regularisation,
 * evaluation and checkpoint cadence.
 *
 * @param batchSize       B, windows per step
 * @param iters           optimizer steps in all
 * @param learningRate    peak learning rate, reached after the warmup
 * @param minLearningRate floor the cosine decays to at the last step
 * @param warmupIters     steps of linear warmup from 0 (a cold start with a large step size diverges easily)
 * @param weightDecay     AdamW decoupled decay, applied to matrices only
 * @param beta1           AdamW first-moment decay
 * @param beta2           AdamW second-moment decay (0.99 rather than 0.999: small batches, fast-moving gradients)
 * @param gradClip        global gradient-norm limit (0 = off)
 * @param evalInterval    evaluate train and validation loss every this many steps (and at the end)
 * @param evalIters       batches averaged per evaluation
 * @param checkpointInterval write a checkpoint every this many steps (0 = only at the end)
 * @param logInterval     print a log line every this many steps
 * @param seed            drives initialisation, batches and dropout
 */
public record TrainConfig(int batchSize, int iters, double learningRate, double minLearningRate, int warmupIters,
                          double weightDecay, double beta1, double beta2, double gradClip, int evalInterval,
                          int evalIters, int checkpointInterval, int logInterval, long seed) {
    public TrainConfig {
        positive("batchSize", batchSize);
        positive("iters", iters);
        positive("evalInterval", evalInterval);
        positive("evalIters", evalIters);
        positive("logInterval", logInterval);
        if (!(learningRate > 0)) throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
        if (!(minLearningRate >= 0 && minLearningRate <= learningRate))
            throw new IllegalArgumentException("minLearningRate must be in [0, learningRate = %s], got %s"
                    .formatted(learningRate, minLearningRate));
        if (warmupIters < 0 || warmupIters >= iters)
            throw new IllegalArgumentException("warmupIters must be in [0, iters = %d), got %d".formatted(iters, warmupIters));
        if (weightDecay < 0) throw new IllegalArgumentException("weightDecay must be >= 0, got " + weightDecay);
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
        if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
        if (gradClip < 0) throw new IllegalArgumentException("gradClip must be >= 0, got " + gradClip);
        if (checkpointInterval < 0) throw new IllegalArgumentException("checkpointInterval must be >= 0, got " + checkpointInterval);
    }

    private static void positive(String name, int v) {
        if (v <= 0) throw new IllegalArgumentException(name + " must be positive, got " + v);
    }

    /** The main job's recipe: batch 12, 2000 steps, lr 1e-3 warmup 100 then cosine to 1e-4, AdamW 0.9/0.99, wd 0.1, clip 1. */
    public static TrainConfig cpuSmall() {
        return new TrainConfig(12, 2000, 1e-3, 1e-4, 100, 0.1, 0.9, 0.99, 1.0, 250, 20, 500, 10, 1337);
    }

    public TrainConfig withIters(int n) {
        return new TrainConfig(batchSize, n, learningRate, minLearningRate, Math.min(warmupIters, n - 1), weightDecay, beta1,
                beta2, gradClip, evalInterval, evalIters, checkpointInterval, logInterval, seed);
    }
}
