package dev.tinygen.vaegan;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The figures images are judged by: ROC-AUC of anomaly scores, mean squared error and PSNR of reconstructions. */
public final class Metrics {
    private Metrics() {}

    /**
     * The area under the ROC curve of {@code scores} for telling {@code positive} examples (higher score expected)
     * from the others: the probability that a random positive scores above a random negative, ties counting one
     * half. Computed from ranks (Mann-Whitney U), tied scores sharing their average rank, in O(n log n).
     *
     * @throws IllegalArgumentException if the lengths differ, a score is NaN, or either class is empty
     */
    public static double rocAuc(double[] scores, boolean[] positive) {
        if (scores.length != positive.length)
            throw new IllegalArgumentException("rocAuc: %d scores but %d labels".formatted(scores.length, positive.length));
        int n = scores.length;
        long pos = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(scores[i])) throw new IllegalArgumentException("rocAuc: score " + i + " is NaN");
            if (positive[i]) pos++;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0)
            throw new IllegalArgumentException("rocAuc: needs both classes, got %d positive and %d negative".formatted(pos, neg));
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSumPos = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) j++;
            double rank = (i + j) / 2.0 + 1;                                  // average of ranks i+1 .. j+1
            for (int k = i; k <= j; k++) if (positive[order[k]]) rankSumPos += rank;
            i = j + 1;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /** Mean of {@code (a - b)^2} over all elements, in double precision. */
    public static double mse(INDArray a, INDArray b) {
        if (!Arrays.equals(a.shape(), b.shape()))
            throw new IllegalArgumentException("mse: shapes differ: %s vs %s".formatted(Arrays.toString(a.shape()),
                    Arrays.toString(b.shape())));
        if (a.length() == 0) throw new IllegalArgumentException("mse: empty arrays " + Arrays.toString(a.shape()));
        INDArray d = a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE));
        return d.mul(d).meanNumber().doubleValue();
    }

    /**
     * Peak signal-to-noise ratio of {@code test} against {@code reference}, in dB: {@code 10 log10(max^2 / mse)}, with
     * the mean squared error taken over all elements of the batch (so one figure for a set of images). Infinite for
     * identical arrays.
     */
    public static double psnr(INDArray reference, INDArray test, double maxValue) {
        if (!(maxValue > 0)) throw new IllegalArgumentException("psnr: the peak value must be positive, got " + maxValue);
        return 10 * Math.log10(maxValue * maxValue / mse(reference, test));
    }
}
