package dev.tinygen.transformer;

import dev.tinygen.nn.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Random training windows from one long token sequence: each row is {@code blockSize} consecutive tokens, and its
 * targets are the same window shifted by one (every position predicts the next token).
 *
 * <p>Shape: batch -> ids (B, T) and targets (B, T), int32.
 */
public final class TokenWindows {
    private final int[] tokens;
    private final int blockSize;

    public TokenWindows(String what, int[] tokens, int blockSize) {
        if (blockSize <= 0) throw new IllegalArgumentException("blockSize must be positive, got " + blockSize);
        if (tokens.length < blockSize + 1)
            throw new IllegalArgumentException("%s has %d tokens, too few for one window of block size %d (needs %d)"
                    .formatted(what, tokens.length, blockSize, blockSize + 1));
        this.tokens = tokens;
        this.blockSize = blockSize;
    }

    public int length() {
        return tokens.length;
    }

    /** {ids, targets}, each (B, T), from B random start positions. */
    public INDArray[] batch(int batchSize, Rng rng) {
        int[][] x = new int[batchSize][blockSize];
        int[][] y = new int[batchSize][blockSize];
        int starts = tokens.length - blockSize;           // start s uses tokens s .. s + blockSize
        for (int b = 0; b < batchSize; b++) {
            int s = rng.nextInt(starts);
            System.arraycopy(tokens, s, x[b], 0, blockSize);
            System.arraycopy(tokens, s + 1, y[b], 0, blockSize);
        }
        return new INDArray[] {Nd4j.createFromArray(x), Nd4j.createFromArray(y)};
    }
}
