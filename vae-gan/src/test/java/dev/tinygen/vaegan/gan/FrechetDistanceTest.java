package dev.tinygen.vaegan.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class FrechetDistanceTest {
    @Test
    void oneDimensionByHand() {
        // a = {0, 2}: mean 1, unbiased variance 2.  b = {1, 5}: mean 3, variance 8.
        // d = (1 - 3)^2 + 2 + 8 - 2 sqrt(2 * 8) = 4 + 10 - 8 = 6.
        double d = FrechetDistance.between(FrechetDistance.Stats.of(new double[][] {{0}, {2}}),
                FrechetDistance.Stats.of(new double[][] {{1}, {5}}));
        assertEquals(6.0, d, 1e-12);
    }

    @Test
    void statsByHand() {
        FrechetDistance.Stats s = FrechetDistance.Stats.of(new double[][] {{1, 2}, {3, 6}, {5, 4}});
        assertArrayEquals(new double[] {3, 4}, s.mean(), 1e-15);
        // deviations (-2,-2), (0,2), (2,0): sums of products / (n - 1) = 2
        assertArrayEquals(new double[] {4, 2}, s.cov()[0], 1e-15);
        assertArrayEquals(new double[] {2, 4}, s.cov()[1], 1e-15);
    }

    @Test
    void twoDimensionsWithNonCommutingCovariances() {
        double[] m1 = {0, 1}, m2 = {2, -1};
        double[][] s1 = {{2, 1}, {1, 3}}, s2 = {{1, -0.5}, {-0.5, 2}};
        // For 2x2 matrices with positive eigenvalues, tr sqrt(P) = sqrt(tr P + 2 sqrt(det P)), applied to P = S1 S2
        // (its eigenvalues are those of S1^(1/2) S2 S1^(1/2)): an answer independent of the eigen routine.
        double[][] p = {{s1[0][0] * s2[0][0] + s1[0][1] * s2[1][0], s1[0][0] * s2[0][1] + s1[0][1] * s2[1][1]},
                {s1[1][0] * s2[0][0] + s1[1][1] * s2[1][0], s1[1][0] * s2[0][1] + s1[1][1] * s2[1][1]}};
        double trP = p[0][0] + p[1][1], detP = p[0][0] * p[1][1] - p[0][1] * p[1][0];
        double expected = 4 + 4 + (2 + 3) + (1 + 2) - 2 * Math.sqrt(trP + 2 * Math.sqrt(detP));
        double d = FrechetDistance.between(new FrechetDistance.Stats(m1, s1), new FrechetDistance.Stats(m2, s2));
        assertEquals(expected, d, 1e-12);
    }

    @Test
    void sameSampleIsZeroAndShiftAddsSquaredDistance() {
        Random rnd = new Random(3);
        double[][] x = new double[200][16];
        for (double[] row : x) for (int j = 0; j < row.length; j++) row[j] = rnd.nextGaussian() * (1 + j % 3);
        var a = Nd4j.create(x).castTo(DataType.FLOAT);
        assertEquals(0.0, FrechetDistance.between(a, a), 1e-6);
        // Shifting every vector by c moves only the means: d = |c|^2 = 16 * 0.25.
        assertEquals(4.0, FrechetDistance.between(a, a.add(0.5)), 1e-3);
    }

    @Test
    void rejectsTooFewVectorsAndMismatchedWidths() {
        assertThrows(IllegalArgumentException.class, () -> FrechetDistance.Stats.of(new double[][] {{1, 2}}));
        assertThrows(IllegalArgumentException.class, () -> FrechetDistance.between(
                FrechetDistance.Stats.of(new double[][] {{1}, {2}}), FrechetDistance.Stats.of(new double[][] {{1, 2}, {2, 3}})));
    }
}
