package dev.tinygen.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The helpers behind the cost-growth fits and the runner's medians, against known answers. */
class StatsTest {
    @Test
    void quadraticFitRecoversAnExactPolynomial() {
        double[] x = {64, 128, 256, 512};
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = 3.5 + 0.25 * x[i] + 0.001 * x[i] * x[i];
        assertArrayEquals(new double[] {3.5, 0.25, 0.001}, Stats.quadraticFit(x, y), 1e-9);
    }

    @Test
    void quadraticFitIsTheLeastSquaresLineWhenDataIsLinearWithNoise() {
        // Symmetric noise around 2 + 3x on 5 points: the fit's residuals sum to zero (the intercept's normal equation).
        double[] x = {1, 2, 3, 4, 5}, noise = {0.1, -0.2, 0.0, 0.2, -0.1};
        double[] y = new double[5];
        for (int i = 0; i < 5; i++) y[i] = 2 + 3 * x[i] + noise[i];
        double[] f = Stats.quadraticFit(x, y);
        double residual = 0;
        for (int i = 0; i < 5; i++) residual += y[i] - (f[0] + f[1] * x[i] + f[2] * x[i] * x[i]);
        assertEquals(0, residual, 1e-9);
        assertEquals(3, f[1], 0.3);
    }

    @Test
    void quadraticFitNeedsThreeDistinctSizes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Stats.quadraticFit(new double[] {1, 1, 2}, new double[] {1, 2, 3}));
        assertTrue(e.getMessage().contains("[1.0, 1.0, 2.0]"), e.getMessage());
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(3, Stats.median(new double[] {5, 1, 3}));
        assertEquals(2.5, Stats.median(new double[] {4, 1, 3, 2}));
        assertThrows(IllegalArgumentException.class, () -> Stats.median(new double[0]));
    }
}
