package dev.tinygen.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import dev.tinygen.vaegan.Metrics;
import org.junit.jupiter.api.Test;

/** Metrics.rocCurve against a curve worked out by hand, and its area against the rank-based ROC-AUC. */
class RocCurveTest {
    @Test
    void smallExampleByHand() {
        // Highest score first: 0.9 P -> (0, 1/3); 0.8 N -> (1/3, 1/3); 0.7 P and N tied -> (2/3, 2/3) in one step;
        // 0.3 N -> (1, 2/3); 0.1 P -> (1, 1).
        double[] scores = {0.7, 0.1, 0.9, 0.3, 0.8, 0.7};
        boolean[] positive = {true, true, true, false, false, false};
        Metrics.Roc roc = Metrics.rocCurve(scores, positive);
        double t = 1.0 / 3;
        assertArrayEquals(new double[] {0, 0, t, 2 * t, 1, 1}, roc.fpr(), 1e-12);
        assertArrayEquals(new double[] {0, t, t, 2 * t, 2 * t, 1}, roc.tpr(), 1e-12);
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 0.9, 0.8, 0.7, 0.3, 0.1}, roc.thresholds(), 0);
        // trapezoids: 1/3 * 1/3 + 1/3 * (1/3 + 2/3) / 2 + 1/3 * 2/3 = 1/9 + 1/6 + 2/9 = 1/2
        assertEquals(0.5, roc.area(), 1e-12);
        // pairs: 0.9 beats 3 negatives, 0.7 beats one and ties one, 0.1 beats none: 4.5 / 9
        assertEquals(0.5, Metrics.rocAuc(scores, positive), 1e-12);
    }

    @Test
    void perfectSeparationRunsUpTheLeftEdge() {
        Metrics.Roc roc = Metrics.rocCurve(new double[] {5, 4, 1, 0}, new boolean[] {true, true, false, false});
        assertArrayEquals(new double[] {0, 0, 0, 0.5, 1}, roc.fpr(), 1e-12);
        assertArrayEquals(new double[] {0, 0.5, 1, 1, 1}, roc.tpr(), 1e-12);
        assertEquals(1.0, roc.area(), 1e-12);
    }

    @Test
    void areaEqualsTheRankAucOnRandomScoresWithTies() {
        Random r = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            int n = 2 + r.nextInt(300);
            double[] s = new double[n];
            boolean[] p = new boolean[n];
            for (int i = 0; i < n; i++) {
                p[i] = r.nextBoolean();
                s[i] = r.nextInt(20) + (p[i] ? 3 : 0);   // few distinct values: many ties
            }
            p[0] = true;
            p[1] = false;
            Metrics.Roc roc = Metrics.rocCurve(s, p);
            assertEquals(Metrics.rocAuc(s, p), roc.area(), 1e-12);
            for (int i = 1; i < roc.size(); i++)
                assertTrue(roc.fpr()[i] >= roc.fpr()[i - 1] && roc.tpr()[i] >= roc.tpr()[i - 1], "monotone");
        }
    }

    @Test
    void badInputIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Metrics.rocCurve(new double[] {1, 2}, new boolean[] {true, true}));
        assertTrue(e.getMessage().contains("2 positive and 0 negative"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Metrics.rocCurve(new double[] {1, Double.NaN}, new boolean[] {true, false}));
        assertTrue(e.getMessage().contains("score 1 is NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Metrics.rocCurve(new double[] {1}, new boolean[] {true, false}));
        assertTrue(e.getMessage().contains("1 scores but 2 labels"), e.getMessage());
    }

    @Test
    void figureSizeGrowsByRowsOfFive() {
        assertArrayEquals(new int[] {2 * RocFigure.PANEL_WIDTH, RocFigure.PANEL_HEIGHT}, RocFigure.size(2));
        assertArrayEquals(new int[] {5 * RocFigure.PANEL_WIDTH, 2 * RocFigure.PANEL_HEIGHT}, RocFigure.size(10));
    }
}
