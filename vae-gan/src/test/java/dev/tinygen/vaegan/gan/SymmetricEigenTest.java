package dev.tinygen.vaegan.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {
    @Test
    void twoByTwoKnownAnswer() {
        double[] v = SymmetricEigen.of(new double[][] {{2, 1}, {1, 2}}).values();
        Arrays.sort(v);
        assertArrayEquals(new double[] {1, 3}, v, 1e-14);
    }

    @Test
    void sqrtmKnownAnswer() {
        // [[2, 1], [1, 2]]^2 = [[5, 4], [4, 5]], and [[2, 1], [1, 2]] is positive definite (eigenvalues 1 and 3).
        double[][] r = SymmetricEigen.of(new double[][] {{5, 4}, {4, 5}}).sqrtm();
        assertArrayEquals(new double[] {2, 1}, r[0], 1e-13);
        assertArrayEquals(new double[] {1, 2}, r[1], 1e-13);
        // A diagonal matrix: the square roots of the diagonal.
        double[][] d = SymmetricEigen.of(new double[][] {{9, 0, 0}, {0, 4, 0}, {0, 0, 0}}).sqrtm();
        assertArrayEquals(new double[] {3, 0, 0}, d[0], 1e-15);
        assertArrayEquals(new double[] {0, 2, 0}, d[1], 1e-15);
        assertArrayEquals(new double[] {0, 0, 0}, d[2], 1e-15);
    }

    @Test
    void randomCovarianceIsReconstructedAndSqrtmSquaresBack() {
        int n = 40;
        Random rnd = new Random(7);
        double[][] g = new double[n][n];
        for (double[] row : g) for (int j = 0; j < n; j++) row[j] = rnd.nextGaussian();
        double[][] a = new double[n][n];  // G G^T: symmetric positive semi-definite
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++) a[i][j] += g[i][k] * g[j][k];
        SymmetricEigen e = SymmetricEigen.of(a);
        double[] lambda = e.values();
        double[][] v = e.vectors();
        double scale = Arrays.stream(lambda).max().getAsDouble();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double rec = 0, dot = 0;
                for (int k = 0; k < n; k++) {
                    rec += v[i][k] * lambda[k] * v[j][k];
                    dot += v[k][i] * v[k][j];
                }
                assertEquals(a[i][j], rec, 1e-12 * scale, "A = V diag V^T at " + i + "," + j);
                assertEquals(i == j ? 1 : 0, dot, 1e-12, "V^T V = I at " + i + "," + j);
            }
        double[][] r = e.sqrtm();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double sq = 0;
                for (int k = 0; k < n; k++) sq += r[i][k] * r[k][j];
                assertEquals(a[i][j], sq, 1e-11 * scale, "sqrtm^2 = A at " + i + "," + j);
            }
    }

    @Test
    void rejectsNonSquareNonSymmetricAndNonFinite() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SymmetricEigen.of(new double[][] {{1, 2}, {3, 4}}));
        assertTrue(e.getMessage().contains("not symmetric"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, 2}, {2}}));
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{Double.NaN}}));
    }
}
