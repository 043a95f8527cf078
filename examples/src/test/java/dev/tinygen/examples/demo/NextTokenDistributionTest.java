package dev.tinygen.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinygen.nn.Rng;
import dev.tinygen.transformer.sample.Sampler;
import dev.tinygen.transformer.sample.TopKSampler;
import dev.tinygen.transformer.sample.TopPSampler;
import org.junit.jupiter.api.Test;

class NextTokenDistributionTest {
    private static final double[] LOGITS = {2.0, 1.0, 0.5, 0.0, -1.0, -1.5, 3.0, 0.2};

    @Test
    void entropyFallsAsTemperatureFalls() {
        double prev = Double.POSITIVE_INFINITY;
        for (double t = 3.0; t >= 0.05; t -= 0.05) {
            double h = NextTokenDistribution.entropy(NextTokenDistribution.of(LOGITS, t, 0, 0));
            assertTrue(h < prev, "entropy at T=" + t + " is " + h + ", not below " + prev);
            prev = h;
        }
        assertTrue(prev < 0.01, "near T = 0 the distribution is almost one-hot, entropy " + prev);
        assertTrue(NextTokenDistribution.entropy(NextTokenDistribution.of(LOGITS, 1e6, 0, 0)) > Math.log(LOGITS.length) - 1e-4,
                "a huge temperature is uniform");
    }

    @Test
    void softmaxMatchesTheFormula() {
        double[] p = NextTokenDistribution.softmax(new double[] {0, Math.log(3)}, 1.0);
        assertEquals(0.25, p[0], 1e-15);
        assertEquals(0.75, p[1], 1e-15);
        assertEquals(Math.log(2), NextTokenDistribution.entropy(new double[] {0.5, 0.5}), 1e-15);
    }

    @Test
    void topKAndTopPKeepWhatTheSamplersDrawFrom() {
        double[] k3 = NextTokenDistribution.of(LOGITS, 1.0, 3, 0);
        assertEquals(3, NextTokenDistribution.support(k3));
        assertTrue(k3[6] > 0 && k3[0] > 0 && k3[1] > 0, "the three largest logits are kept");
        double[] base = NextTokenDistribution.softmax(LOGITS, 1.0);
        double[] p8 = NextTokenDistribution.of(LOGITS, 1.0, 0, 0.8);
        double kept = 0;
        double smallestKept = 1;
        for (int i = 0; i < base.length; i++)
            if (p8[i] > 0) {
                kept += base[i];
                smallestKept = Math.min(smallestKept, base[i]);
            }
        assertTrue(kept >= 0.8 && kept - smallestKept < 0.8, "top-p keeps the smallest set reaching 0.8, kept " + kept);
        assertFrequencies(new TopKSampler(3, 1.0), k3);
        assertFrequencies(new TopPSampler(0.8, 1.0), p8);
    }

    private static void assertFrequencies(Sampler s, double[] p) {
        Rng rng = new Rng(11);
        int n = 40_000;
        int[] counts = new int[p.length];
        for (int i = 0; i < n; i++) counts[s.sample(LOGITS, rng)]++;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == 0) assertEquals(0, counts[i], "token " + i + " is outside the distribution");
            else assertEquals(p[i], counts[i] / (double) n, 0.01, "token " + i);
        }
    }

    @Test
    void greedyIsOneHotOnTheArgmax() {
        double[] g = NextTokenDistribution.greedy(LOGITS);
        assertEquals(1.0, g[6]);
        assertEquals(0.0, NextTokenDistribution.entropy(g));
    }

    @Test
    void refusesBadSettings() {
        var e = assertThrows(IllegalArgumentException.class, () -> NextTokenDistribution.of(LOGITS, 1.0, 3, 0.5));
        assertTrue(e.getMessage().contains("not both"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NextTokenDistribution.of(LOGITS, 0.0, 0, 0));
        assertTrue(e.getMessage().contains("got 0.0"), e.getMessage());
    }
}
