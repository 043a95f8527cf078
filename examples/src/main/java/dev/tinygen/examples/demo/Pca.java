package dev.tinygen.examples.demo;

/**
 * Principal component analysis in double precision: centre the rows, form the covariance matrix, and diagonalise it
 * with the cyclic Jacobi method (rotations that zero one off-diagonal entry at a time until none is left), which is
 * exact to rounding for the symmetric matrices of embedding widths (C up to a few hundred).
 *
 * <p>Shape: data (N, C) -> components (k, C), each a unit vector, ordered by the variance they explain; {@link
 * #project} (N, C) -> (N, k).
 *
 * @param mean        (C) the mean row that was subtracted
 * @param components  (k, C) principal directions, largest variance first; each one's largest-magnitude entry is
 *                    positive, so the signs do not depend on rounding
 * @param variances   (k) the covariance eigenvalues along each direction
 * @param totalVariance the trace of the covariance: the variance of all directions together
 */
public record Pca(double[] mean, double[][] components, double[] variances, double totalVariance) {

    /** The top {@code k} principal components of the rows of {@code data}. */
    public static Pca fit(double[][] data, int k) {
        int n = data.length;
        if (n < 2) throw new IllegalArgumentException("pca: need at least 2 rows, got " + n);
        int c = data[0].length;
        if (k < 1 || k > c) throw new IllegalArgumentException("pca: k must be in [1, %d], got %d".formatted(c, k));
        double[] mean = new double[c];
        for (double[] row : data) {
            if (row.length != c) throw new IllegalArgumentException("pca: every row must have %d columns, got %d".formatted(c, row.length));
            for (int j = 0; j < c; j++) mean[j] += row[j] / n;
        }
        double[][] cov = new double[c][c];                    // (C, C) = X_c^T X_c / (N - 1)
        for (double[] row : data)
            for (int i = 0; i < c; i++) {
                double di = row[i] - mean[i];
                for (int j = i; j < c; j++) cov[i][j] += di * (row[j] - mean[j]);
            }
        for (int i = 0; i < c; i++)
            for (int j = i; j < c; j++) cov[j][i] = cov[i][j] /= (n - 1);
        Eigen e = symmetricEigen(cov);
        double total = 0;
        for (double v : e.values) total += v;
        double[][] comps = new double[k][];
        double[] vars = new double[k];
        for (int r = 0; r < k; r++) {
            comps[r] = e.vectors[r];
            vars[r] = e.values[r];
            int big = 0;
            for (int j = 1; j < c; j++) if (Math.abs(comps[r][j]) > Math.abs(comps[r][big])) big = j;
            if (comps[r][big] < 0) for (int j = 0; j < c; j++) comps[r][j] = -comps[r][j];
        }
        return new Pca(mean, comps, vars, total);
    }

    /** The fraction of all variance that component {@code i} explains. */
    public double explainedRatio(int i) {
        return totalVariance > 0 ? variances[i] / totalVariance : 0;
    }

    /** Coordinates of each row along the components. Shape: (N, C) -> (N, k). */
    public double[][] project(double[][] data) {
        double[][] out = new double[data.length][components.length];
        for (int n = 0; n < data.length; n++)
            for (int r = 0; r < components.length; r++) {
                double s = 0;
                for (int j = 0; j < mean.length; j++) s += (data[n][j] - mean[j]) * components[r][j];
                out[n][r] = s;
            }
        return out;
    }

    /** Eigenvalues, descending, and their unit eigenvectors as rows. */
    record Eigen(double[] values, double[][] vectors) {}

    /**
     * Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations, in place on a copy, until the
     * off-diagonal mass is below 1e-22 of the total (or 100 sweeps, far more than the 6-10 it takes).
     */
    static Eigen symmetricEigen(double[][] m) {
        int c = m.length;
        double[][] a = new double[c][];
        for (int i = 0; i < c; i++) {
            if (m[i].length != c) throw new IllegalArgumentException("eigen: expected a square matrix, row %d has %d of %d".formatted(i, m[i].length, c));
            a[i] = m[i].clone();
        }
        double[][] v = new double[c][c];                       // columns are eigenvectors
        for (int i = 0; i < c; i++) v[i][i] = 1;
        double norm = 0;
        for (double[] row : a) for (double x : row) norm += x * x;
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < c; p++) for (int q = p + 1; q < c; q++) off += 2 * a[p][q] * a[p][q];
            if (off <= 1e-22 * norm || off == 0) break;
            for (int p = 0; p < c; p++)
                for (int q = p + 1; q < c; q++) {
                    if (a[p][q] == 0) continue;
                    // the angle that zeroes a[p][q]: tan(2 theta) = 2 a_pq / (a_qq - a_pp), the smaller root for stability
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double cs = 1 / Math.sqrt(t * t + 1), sn = t * cs;
                    for (int k = 0; k < c; k++) {              // A <- A J (columns p and q)
                        double akp = a[k][p], akq = a[k][q];
                        a[k][p] = cs * akp - sn * akq;
                        a[k][q] = sn * akp + cs * akq;
                    }
                    for (int k = 0; k < c; k++) {              // A <- J^T A (rows p and q)
                        double apk = a[p][k], aqk = a[q][k];
                        a[p][k] = cs * apk - sn * aqk;
                        a[q][k] = sn * apk + cs * aqk;
                    }
                    for (int k = 0; k < c; k++) {              // V <- V J
                        double vkp = v[k][p], vkq = v[k][q];
                        v[k][p] = cs * vkp - sn * vkq;
                        v[k][q] = sn * vkp + cs * vkq;
                    }
                }
        }
        Integer[] order = new Integer[c];
        for (int i = 0; i < c; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(a[y][y], a[x][x]));
        double[] values = new double[c];
        double[][] vectors = new double[c][c];
        for (int r = 0; r < c; r++) {
            values[r] = a[order[r]][order[r]];
            for (int k = 0; k < c; k++) vectors[r][k] = v[k][order[r]];
        }
        return new Eigen(values, vectors);
    }
}
