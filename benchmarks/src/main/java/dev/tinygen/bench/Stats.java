package dev.tinygen.bench;

import java.util.Arrays;

/** Small numeric helpers for the mains: medians of noisy timings and a least-squares polynomial fit. */
final class Stats {
    private Stats() {}

    static double median(double[] xs) {
        if (xs.length == 0) throw new IllegalArgumentException("median of no values");
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /**
     * Coefficients {a, b, c} of {@code y = a + b x + c x^2} minimising the squared error, from the 3x3 normal
     * equations solved by Gaussian elimination with partial pivoting. Needs at least 3 distinct x.
     */
    static double[] quadraticFit(double[] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException("quadraticFit: %d x values but %d y values".formatted(x.length, y.length));
        if (Arrays.stream(x).distinct().count() < 3)
            throw new IllegalArgumentException("quadraticFit: needs at least 3 distinct x values, got " + Arrays.toString(x));
        double[][] m = new double[3][4];
        for (int i = 0; i < x.length; i++) {
            double[] p = {1, x[i], x[i] * x[i]};
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) m[r][c] += p[r] * p[c];
                m[r][3] += p[r] * y[i];
            }
        }
        for (int col = 0; col < 3; col++) {
            int piv = col;
            for (int r = col + 1; r < 3; r++) if (Math.abs(m[r][col]) > Math.abs(m[piv][col])) piv = r;
            double[] tmp = m[col];
            m[col] = m[piv];
            m[piv] = tmp;
            for (int r = 0; r < 3; r++) {
                if (r == col) continue;
                double f = m[r][col] / m[col][col];
                for (int c = col; c < 4; c++) m[r][c] -= f * m[col][c];
            }
        }
        return new double[] {m[0][3] / m[0][0], m[1][3] / m[1][1], m[2][3] / m[2][2]};
    }
}
