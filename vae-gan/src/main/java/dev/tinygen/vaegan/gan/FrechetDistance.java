package dev.tinygen.vaegan.gan;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The Frechet distance between two Gaussians fitted to two sets of feature vectors (the FID recipe, here on the
 * digit classifier's features rather than Inception's):
 *
 * <pre>
 *   d^2 = |mu1 - mu2|^2 + tr(S1 + S2 - 2 (S1 S2)^(1/2))
 * </pre>
 *
 * {@code S1 S2} is not symmetric, but it is similar to {@code S1^(1/2) S2 S1^(1/2)}, which is symmetric positive
 * semi-definite; so {@code tr (S1 S2)^(1/2)} is the sum of the square roots of that matrix's eigenvalues, and two
 * symmetric {@link SymmetricEigen} decompositions in double precision give it without a general matrix square root.
 * Covariances use the unbiased {@code 1 / (n - 1)}, as numpy's {@code np.cov} in the reference FID code.
 *
 * <p>Shape: features (N, D) -> mean (D), covariance (D, D).
 */
public final class FrechetDistance {
    private FrechetDistance() {}

    /** The mean and covariance of a set of feature vectors. */
    public record Stats(double[] mean, double[][] cov) {
        public Stats {
            if (cov.length != mean.length)
                throw new IllegalArgumentException("frechet: mean has %d entries but covariance %d rows".formatted(mean.length, cov.length));
        }

        /** Fits to the rows of {@code features} (N, D), N >= 2. */
        public static Stats of(INDArray features) {
            if (features.rank() != 2)
                throw new IllegalArgumentException("frechet: expected features (N, D), got " + Arrays.toString(features.shape()));
            return of(features.castTo(DataType.DOUBLE).toDoubleMatrix());
        }

        /** Fits to the rows of {@code x}, N >= 2 rows of equal length D >= 1. */
        public static Stats of(double[][] x) {
            int n = x.length;
            if (n < 2) throw new IllegalArgumentException("frechet: need at least 2 feature vectors for a covariance, got " + n);
            int d = x[0].length;
            if (d < 1) throw new IllegalArgumentException("frechet: feature vectors are empty");
            double[] mean = new double[d];
            for (double[] row : x) {
                if (row.length != d)
                    throw new IllegalArgumentException("frechet: feature vectors of lengths %d and %d".formatted(d, row.length));
                for (int j = 0; j < d; j++) mean[j] += row[j];
            }
            for (int j = 0; j < d; j++) mean[j] /= n;
            double[][] cov = new double[d][d];
            double[] c = new double[d];
            for (double[] row : x) {
                for (int j = 0; j < d; j++) c[j] = row[j] - mean[j];
                for (int i = 0; i < d; i++) {
                    double ci = c[i];
                    if (ci == 0) continue;
                    double[] ri = cov[i];
                    for (int j = i; j < d; j++) ri[j] += ci * c[j];
                }
            }
            for (int i = 0; i < d; i++)
                for (int j = i; j < d; j++) {
                    cov[i][j] /= n - 1;
                    cov[j][i] = cov[i][j];
                }
            return new Stats(mean, cov);
        }
    }

    /** The distance between the Gaussians fitted to {@code a} (N1, D) and {@code b} (N2, D). */
    public static double between(INDArray a, INDArray b) {
        return between(Stats.of(a), Stats.of(b));
    }

    /** {@code |mu1 - mu2|^2 + tr(S1) + tr(S2) - 2 tr (S1^(1/2) S2 S1^(1/2))^(1/2)}, clamped at 0 against rounding. */
    public static double between(Stats s1, Stats s2) {
        int d = s1.mean().length;
        if (s2.mean().length != d)
            throw new IllegalArgumentException("frechet: feature widths differ: %d and %d".formatted(d, s2.mean().length));
        double meanTerm = 0;
        for (int i = 0; i < d; i++) {
            double diff = s1.mean()[i] - s2.mean()[i];
            meanTerm += diff * diff;
        }
        double trace = 0;
        for (int i = 0; i < d; i++) trace += s1.cov()[i][i] + s2.cov()[i][i];
        double[][] r1 = SymmetricEigen.of(s1.cov()).sqrtm();
        double[][] m = multiply(multiply(r1, s2.cov()), r1);                               // (D, D)
        symmetrize(m);
        double cross = 0;
        for (double v : SymmetricEigen.of(m).values()) cross += Math.sqrt(Math.max(v, 0));
        return Math.max(0, meanTerm + trace - 2 * cross);
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length, k = b.length, m = b[0].length;
        double[][] out = new double[n][m];
        for (int i = 0; i < n; i++) {
            double[] oi = out[i];
            for (int p = 0; p < k; p++) {
                double aip = a[i][p];
                double[] bp = b[p];
                for (int j = 0; j < m; j++) oi[j] += aip * bp[j];
            }
        }
        return out;
    }

    /** Averages {@code m} with its transpose: the product is symmetric in exact arithmetic, not after rounding. */
    private static void symmetrize(double[][] m) {
        for (int i = 0; i < m.length; i++)
            for (int j = i + 1; j < m.length; j++) {
                double v = 0.5 * (m[i][j] + m[j][i]);
                m[i][j] = v;
                m[j][i] = v;
            }
    }
}
