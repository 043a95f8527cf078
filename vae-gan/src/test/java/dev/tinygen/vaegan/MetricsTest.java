package dev.tinygen.vaegan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class MetricsTest {
    @Test
    void rocAucKnownAnswers() {
        // scikit-learn's roc_auc_score example: 0.75
        assertEquals(0.75, Metrics.rocAuc(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true}), 1e-12);
        // ties: positives {1, 3}, negatives {1, 2}: pairs score 0.5 + 0 + 1 + 1 = 2.5 of 4
        assertEquals(0.625, Metrics.rocAuc(new double[] {1, 1, 2, 3}, new boolean[] {true, false, false, true}), 1e-12);
        assertEquals(1.0, Metrics.rocAuc(new double[] {0, 1}, new boolean[] {false, true}), 0);
        assertEquals(0.0, Metrics.rocAuc(new double[] {0, 1}, new boolean[] {true, false}), 0);
        assertEquals(0.5, Metrics.rocAuc(new double[] {2, 2, 2}, new boolean[] {true, false, false}), 0);
    }

    /** Against counting every positive-negative pair, on scores with many ties. */
    @Test
    void rocAucEqualsPairCounting() {
        Random r = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            int n = 2 + r.nextInt(300);
            double[] s = new double[n];
            boolean[] y = new boolean[n];
            for (int i = 0; i < n; i++) {
                s[i] = r.nextInt(12);
                y[i] = r.nextBoolean();
            }
            y[0] = true;
            y[1] = false;
            double wins = 0;
            long pairs = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    if (y[i] && !y[j]) {
                        pairs++;
                        wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                    }
            assertEquals(wins / pairs, Metrics.rocAuc(s, y), 1e-12, "trial " + trial);
        }
    }

    @Test
    void rocAucRefusesOneClassAndMismatchedLengths() {
        var e = assertThrows(IllegalArgumentException.class, () -> Metrics.rocAuc(new double[] {1, 2}, new boolean[] {true, true}));
        assertTrue(e.getMessage().contains("2 positive and 0 negative"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Metrics.rocAuc(new double[] {1, 2, 3}, new boolean[] {true, false}));
        assertTrue(e.getMessage().contains("3 scores but 2 labels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Metrics.rocAuc(new double[] {1, Double.NaN}, new boolean[] {true, false}));
        assertTrue(e.getMessage().contains("score 1 is NaN"), e.getMessage());
    }

    @Test
    void psnrKnownAnswers() {
        var clean = Nd4j.zeros(DataType.FLOAT, 2, 4);
        // every pixel off by 0.1: mse 0.01, PSNR = 10 log10(1 / 0.01) = 20 dB
        assertEquals(20.0, Metrics.psnr(clean, clean.add(0.1), 1.0), 1e-5);
        // one pixel of 8 off by 1: mse 1/8, PSNR = 10 log10(8)
        var one = clean.dup();
        one.putScalar(0, 3, 1.0);
        assertEquals(10 * Math.log10(8), Metrics.psnr(clean, one, 1.0), 1e-9);
        assertEquals(0.125, Metrics.mse(clean, one), 1e-12);
        // peak 255: shifts the figure by 20 log10(255)
        assertEquals(10 * Math.log10(8) + 20 * Math.log10(255), Metrics.psnr(clean, one, 255), 1e-9);
        assertEquals(Double.POSITIVE_INFINITY, Metrics.psnr(clean, clean, 1.0));
        var e = assertThrows(IllegalArgumentException.class, () -> Metrics.psnr(clean, Nd4j.zeros(DataType.FLOAT, 4, 2), 1.0));
        assertTrue(e.getMessage().contains("[2, 4] vs [4, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Metrics.psnr(clean, clean, 0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    }
}
