package dev.tinygen.examples.demo;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The probabilities a sampler actually draws the next token from: softmax(logits / T), then, for top-k, only the k
 * most likely tokens (ties with the k-th in index order, as TopKSampler), or, for top-p, the smallest set of most
 * likely tokens whose mass reaches p (as TopPSampler), renormalised to sum to 1. Greedy is the limit T -> 0: all
 * mass on the most likely token.
 *
 * <p>Shape: logits (V) -> probabilities (V).
 */
public final class NextTokenDistribution {
    private NextTokenDistribution() {}

    /** softmax(logits / T) restricted as above; {@code topK} 0 and {@code topP} 0 mean off (at most one may be on). */
    public static double[] of(double[] logits, double temperature, int topK, double topP) {
        if (topK < 0) throw new IllegalArgumentException("top-k must be >= 0 (0 = off), got " + topK);
        if (!(topP >= 0 && topP <= 1)) throw new IllegalArgumentException("top-p must be in [0, 1] (0 = off), got " + topP);
        if (topK > 0 && topP > 0) throw new IllegalArgumentException("choose top-k (%d) or top-p (%s), not both".formatted(topK, topP));
        double[] p = softmax(logits, temperature);
        if (topK > 0 && topK < p.length) {
            double[] sorted = p.clone();
            Arrays.sort(sorted);
            double kth = sorted[sorted.length - topK];
            int ties = topK;
            for (double x : p) if (x > kth) ties--;
            for (int i = 0; i < p.length; i++) {
                if (p[i] > kth) continue;
                if (p[i] == kth && ties > 0) ties--;
                else p[i] = 0;
            }
        } else if (topP > 0) {
            Integer[] order = new Integer[p.length];
            for (int i = 0; i < order.length; i++) order[i] = i;
            double[] base = p.clone();
            Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -base[i]).thenComparingInt(i -> i));
            Arrays.fill(p, 0);
            double acc = 0;
            for (int i : order) {
                p[i] = base[i];
                acc += base[i];
                if (acc >= topP) break;
            }
        }
        double z = 0;
        for (double x : p) z += x;
        for (int i = 0; i < p.length; i++) p[i] /= z;
        return p;
    }

    /** All mass on the most likely token (lowest id on a tie): what greedy decoding draws from. */
    public static double[] greedy(double[] logits) {
        if (logits.length == 0) throw new IllegalArgumentException("logits must not be empty");
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        double[] p = new double[logits.length];
        p[best] = 1;
        return p;
    }

    /** softmax(logits / T), computed with the max subtracted so large logits do not overflow. */
    public static double[] softmax(double[] logits, double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature))
            throw new IllegalArgumentException("temperature must be > 0 and finite, got " + temperature);
        if (logits.length == 0) throw new IllegalArgumentException("logits must not be empty");
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) max = Math.max(max, l);
        double[] p = new double[logits.length];
        double z = 0;
        for (int i = 0; i < p.length; i++) z += (p[i] = Math.exp((logits[i] - max) / temperature));
        for (int i = 0; i < p.length; i++) p[i] /= z;
        return p;
    }

    /** Entropy in nats: 0 when one token is certain, ln V when all are equally likely. */
    public static double entropy(double[] p) {
        double h = 0;
        for (double x : p) if (x > 0) h -= x * Math.log(x);
        return h;
    }

    /** How many tokens have a non-zero chance. */
    public static int support(double[] p) {
        int n = 0;
        for (double x : p) if (x > 0) n++;
        return n;
    }
}
