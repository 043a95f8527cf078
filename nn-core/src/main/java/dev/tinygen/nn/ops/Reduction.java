package dev.tinygen.nn.ops;

/**
 * How a loss turns its per-element (or per-row) terms into one scalar. Each loss's Javadoc says what it
 * averages over: {@link CrossEntropy} over non-ignored targets, {@link MseLoss} and {@link BceWithLogits} over
 * all elements, {@link GaussianKl} over the batch (the first dimension), as PyTorch code usually does.
 */
public enum Reduction {
    /** The sum divided by the number of terms the loss names. */
    MEAN,
    /** The plain sum. */
    SUM
}
