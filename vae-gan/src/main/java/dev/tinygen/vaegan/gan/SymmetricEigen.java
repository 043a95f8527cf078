package dev.tinygen.vaegan.gan;

import java.util.Arrays;

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix by the cyclic Jacobi method, in double precision:
 * {@code A = V diag(values) V^T} with orthonormal columns of {@code V}.
 *
 * <p>Each rotation zeroes one off-diagonal pair; sweeps over all pairs repeat until the off-diagonal mass is below
 * {@code 1e-15} of the matrix's Frobenius norm (quadratic convergence: a 128 x 128 covariance takes about ten
 * sweeps). Slower than a tridiagonal QR, but short, and accurate to rounding even for tiny eigenvalues, which is
 * what a matrix square root of a nearly singular covariance needs.
 *
 * <p>Shape: a (n, n) -> values (n), vectors (n, n) with eigenvector k in column k.
 */
public final class SymmetricEigen {
    private static final int MAX_SWEEPS = 100;

    private final double[] values;
    private final double[][] vectors;

    private SymmetricEigen(double[] values, double[][] vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    /** Decomposes {@code a}, which must be square and symmetric (to 1e-9 of its largest entry); it is not changed. */
    public static SymmetricEigen of(double[][] a) {
        int n = a.length;
        double scale = 0;
        for (int i = 0; i < n; i++) {
            if (a[i].length != n)
                throw new IllegalArgumentException("eigen: expected a square matrix, row %d has %d entries for %d rows"
                        .formatted(i, a[i].length, n));
            for (double v : a[i]) {
                if (!Double.isFinite(v)) throw new IllegalArgumentException("eigen: matrix has a non-finite entry " + v);
                scale = Math.max(scale, Math.abs(v));
            }
        }
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                if (Math.abs(a[i][j] - a[j][i]) > 1e-9 * Math.max(scale, Double.MIN_NORMAL))
                    throw new IllegalArgumentException("eigen: matrix is not symmetric: a[%d][%d] = %g, a[%d][%d] = %g"
                            .formatted(i, j, a[i][j], j, i, a[j][i]));
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) m[i] = a[i].clone();
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) v[i][i] = 1;

        double norm = 0;
        for (double[] row : m) for (double x : row) norm += x * x;
        double tol = 1e-30 * norm;  // (1e-15 of the Frobenius norm)^2
        for (int sweep = 0; sweep < MAX_SWEEPS && offDiagonal(m) > tol; sweep++) {
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++)
                    if (m[p][q] != 0) rotate(m, v, p, q);
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) values[i] = m[i][i];
        return new SymmetricEigen(values, v);
    }

    private static double offDiagonal(double[][] m) {
        double s = 0;
        for (int i = 0; i < m.length; i++)
            for (int j = 0; j < m.length; j++)
                if (i != j) s += m[i][j] * m[i][j];
        return s;
    }

    /** One Jacobi rotation in the (p, q) plane that zeroes m[p][q] (Numerical Recipes' stable form). */
    private static void rotate(double[][] m, double[][] v, int p, int q) {
        int n = m.length;
        double app = m[p][p], aqq = m[q][q], apq = m[p][q];
        double theta = (aqq - app) / (2 * apq);
        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        if (theta == 0) t = 1;
        double c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (int k = 0; k < n; k++) {
            double mkp = m[k][p], mkq = m[k][q];
            m[k][p] = c * mkp - s * mkq;
            m[k][q] = s * mkp + c * mkq;
        }
        for (int k = 0; k < n; k++) {
            double mpk = m[p][k], mqk = m[q][k];
            m[p][k] = c * mpk - s * mqk;
            m[q][k] = s * mpk + c * mqk;
        }
        m[p][q] = 0;
        m[q][p] = 0;
        for (int k = 0; k < n; k++) {
            double vkp = v[k][p], vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
        }
    }

    /** The eigenvalues, in no particular order (eigenvalue k belongs to column k of {@link #vectors()}). */
    public double[] values() {
        return values.clone();
    }

    /** The eigenvectors as columns. */
    public double[][] vectors() {
        double[][] out = new double[vectors.length][];
        for (int i = 0; i < vectors.length; i++) out[i] = vectors[i].clone();
        return out;
    }

    /**
     * The symmetric positive semi-definite square root {@code V diag(sqrt(max(values, 0))) V^T}. Eigenvalues that
     * rounding made slightly negative (a covariance of fewer samples than dimensions) count as 0.
     */
    public double[][] sqrtm() {
        int n = values.length;
        double[] r = new double[n];
        for (int k = 0; k < n; k++) r[k] = Math.sqrt(Math.max(values[k], 0));
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) s += vectors[i][k] * r[k] * vectors[j][k];
                out[i][j] = s;
                out[j][i] = s;
            }
        return out;
    }

    @Override
    public String toString() {
        return "SymmetricEigen" + Arrays.toString(values);
    }
}
