package dev.tinygen.examples.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PcaTest {
    @Test
    void jacobiFindsTheKnownEigenpairsOfTheSecondDifferenceMatrix() {
        // [[2,-1,0],[-1,2,-1],[0,-1,2]]: eigenvalues 2+sqrt2, 2, 2-sqrt2 with vectors (1,-sqrt2,1)/2, (1,0,-1)/sqrt2, (1,sqrt2,1)/2
        double s = Math.sqrt(2);
        Pca.Eigen e = Pca.symmetricEigen(new double[][] {{2, -1, 0}, {-1, 2, -1}, {0, -1, 2}});
        assertArrayEquals(new double[] {2 + s, 2, 2 - s}, e.values(), 1e-12);
        double[][] expected = {{0.5, -s / 2, 0.5}, {1 / s, 0, -1 / s}, {0.5, s / 2, 0.5}};
        for (int r = 0; r < 3; r++) {
            double dot = 0;
            for (int k = 0; k < 3; k++) dot += e.vectors()[r][k] * expected[r][k];
            assertEquals(1.0, Math.abs(dot), 1e-12, "eigenvector " + r);
        }
    }

    @Test
    void jacobiReconstructsARandomSymmetricMatrix() {
        Random rnd = new Random(3);
        int n = 40;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++) a[i][j] = a[j][i] = rnd.nextGaussian();
        Pca.Eigen e = Pca.symmetricEigen(a);
        for (int i = 0; i < n; i++)                          // V diag(lambda) V^T == A
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) s += e.vectors()[k][i] * e.values()[k] * e.vectors()[k][j];
                assertEquals(a[i][j], s, 1e-10);
            }
        for (int k = 1; k < n; k++) assertTrue(e.values()[k - 1] >= e.values()[k], "eigenvalues are sorted descending");
    }

    @Test
    void pcaRecoversTheDirectionsOfAKnownPointCloud() {
        // four points at (+-3 along u, +-1 along w) + centre (1, 2, 3), with u = (1,1,0)/sqrt2, w = (0,0,1)
        double r = 1 / Math.sqrt(2);
        double[] u = {r, r, 0}, w = {0, 0, 1}, c = {1, 2, 3};
        double[][] data = new double[4][3];
        int i = 0;
        for (int a : new int[] {3, -3})
            for (int b : new int[] {1, -1}) {
                for (int k = 0; k < 3; k++) data[i][k] = c[k] + a * u[k] + b * w[k];
                i++;
            }
        Pca pca = Pca.fit(data, 2);
        assertArrayEquals(c, pca.mean(), 1e-12);
        assertArrayEquals(new double[] {36.0 / 3, 4.0 / 3}, pca.variances(), 1e-12);   // sum of squares / (N - 1)
        assertArrayEquals(u, pca.components()[0], 1e-12);
        assertArrayEquals(w, pca.components()[1], 1e-12);
        assertEquals(0.9, pca.explainedRatio(0), 1e-12);
        double[][] xy = pca.project(data);
        assertArrayEquals(new double[] {3, 1}, xy[0], 1e-12);
        assertArrayEquals(new double[] {-3, -1}, xy[3], 1e-12);
    }

    @Test
    void refusesBadInput() {
        var e = assertThrows(IllegalArgumentException.class, () -> Pca.fit(new double[][] {{1, 2}, {3, 4}}, 3));
        assertTrue(e.getMessage().contains("got 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pca.fit(new double[][] {{1, 2}}, 1));
    }
}
