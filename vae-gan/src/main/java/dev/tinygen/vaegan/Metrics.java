package dev.tinygen.vaegan;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The figures images are judged by: ROC curve and ROC-AUC of anomaly scores, mean squared error and PSNR of reconstructions. */
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

    /**
     * The points of a ROC curve: false-positive rate {@code fpr[i]} against true-positive rate {@code tpr[i]} when
     * every example scoring at least {@code thresholds[i]} is called positive. Thresholds run from the highest score
     * down, one point per distinct score (tied scores move together, a diagonal step), after a first point (0, 0)
     * whose threshold is +Infinity; the last point is (1, 1). The trapezoidal area under these points equals
     * {@link #rocAuc}.
     */
    public record Roc(double[] fpr, double[] tpr, double[] thresholds) {
        public int size() {
            return fpr.length;
        }

        /** Area under the points by the trapezoidal rule. */
        public double area() {
            double a = 0;
            for (int i = 1; i < fpr.length; i++) a += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2;
            return a;
        }
    }

    /**
     * The ROC curve of {@code scores} for telling {@code positive} examples (higher score expected) from the others;
     * see {@link Roc}. O(n log n).
     *
     * @throws IllegalArgumentException if the lengths differ, a score is NaN, or either class is empty
     */
    public static Roc rocCurve(double[] scores, boolean[] positive) {
        if (scores.length != positive.length)
            throw new IllegalArgumentException("rocCurve: %d scores but %d labels".formatted(scores.length, positive.length));
        int n = scores.length;
        long pos = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(scores[i])) throw new IllegalArgumentException("rocCurve: score " + i + " is NaN");
            if (positive[i]) pos++;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0)
            throw new IllegalArgumentException("rocCurve: needs both classes, got %d positive and %d negative".formatted(pos, neg));
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));            // highest score first
        double[] fpr = new double[n + 1], tpr = new double[n + 1], thr = new double[n + 1];
        thr[0] = Double.POSITIVE_INFINITY;
        int points = 1;
        long tp = 0, fp = 0;
        for (int i = 0; i < n; ) {
            double s = scores[order[i]];
            for (; i < n && scores[order[i]] == s; i++) {
                if (positive[order[i]]) tp++;
                else fp++;
            }
            fpr[points] = (double) fp / neg;
            tpr[points] = (double) tp / pos;
            thr[points++] = s;
        }
        return new Roc(Arrays.copyOf(fpr, points), Arrays.copyOf(tpr, points), Arrays.copyOf(thr, points));
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
