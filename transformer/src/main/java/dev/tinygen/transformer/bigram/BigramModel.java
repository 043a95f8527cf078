package dev.tinygen.transformer.bigram;

import dev.tinygen.nn.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The count-based bigram model, the baseline every trained model is compared against: the next token depends only
 * on the current one, with probability
 * <pre>  P(j | i) = (count(i, j) + k) / (count(i) + k V)</pre>
 * where {@code count(i, j)} is how often j followed i in the training ids, {@code count(i)} their sum and {@code k}
 * the add-k smoothing (0 for none). A token never seen with a successor has no evidence at all; its row is taken as
 * uniform, 1 / V, which is also what any k gives it.
 *
 * <p>Counts are stored sparsely (one sorted row of successors per token), so a 200k-token vocabulary costs memory
 * in proportion to the distinct pairs seen, not V squared.
 *
 * <p>Shape: training ids int[T] -> counts (V, V) (sparse); {@code nll} int[T] -> a scalar in nats; generation
 * a start id -> int[n].
 */
public final class BigramModel {
    private final int vocabSize;
    private final double addK;
    private final int[] rowStart;    // (V + 1) row i is next[rowStart[i], rowStart[i + 1])
    private final int[] next;        // successors, ascending within a row
    private final int[] count;       // how often each successor followed
    private final long[] rowTotal;   // (V) count(i)

    private BigramModel(int vocabSize, double addK, int[] rowStart, int[] next, int[] count, long[] rowTotal) {
        this.vocabSize = vocabSize;
        this.addK = addK;
        this.rowStart = rowStart;
        this.next = next;
        this.count = count;
        this.rowTotal = rowTotal;
    }

    /** Counts every adjacent pair of {@code ids}, without smoothing. */
    public static BigramModel fit(int[] ids, int vocabSize) {
        return fit(ids, vocabSize, 0.0);
    }

    /** Counts every adjacent pair of {@code ids}; {@code addK} is added to every count (Laplace smoothing is 1). */
    public static BigramModel fit(int[] ids, int vocabSize, double addK) {
        if (vocabSize <= 0) throw new IllegalArgumentException("bigram: vocabulary size must be positive, got " + vocabSize);
        if (!(addK >= 0) || Double.isInfinite(addK)) {
            throw new IllegalArgumentException("bigram: add-k smoothing must be a finite number >= 0, got " + addK);
        }
        if (ids.length < 2) {
            throw new IllegalArgumentException("bigram: need at least 2 token ids to count a pair, got " + ids.length);
        }
        checkIds(ids, vocabSize);
        long[] pairs = new long[ids.length - 1];
        for (int t = 0; t + 1 < ids.length; t++) pairs[t] = ((long) ids[t] << 32) | ids[t + 1];
        Arrays.sort(pairs);
        int distinct = 0;
        for (int t = 0; t < pairs.length; t++) if (t == 0 || pairs[t] != pairs[t - 1]) distinct++;
        int[] rowStart = new int[vocabSize + 1];
        int[] next = new int[distinct];
        int[] count = new int[distinct];
        long[] rowTotal = new long[vocabSize];
        int d = -1;
        for (int t = 0; t < pairs.length; t++) {
            int prev = (int) (pairs[t] >>> 32);
            if (t == 0 || pairs[t] != pairs[t - 1]) {
                d++;
                next[d] = (int) pairs[t];
                rowStart[prev + 1]++;
            }
            count[d]++;
            rowTotal[prev]++;
        }
        for (int i = 0; i < vocabSize; i++) rowStart[i + 1] += rowStart[i];
        return new BigramModel(vocabSize, addK, rowStart, next, count, rowTotal);
    }

    public int vocabSize() {
        return vocabSize;
    }

    public double addK() {
        return addK;
    }

    /** How often {@code nextId} followed {@code prevId} in the training ids. */
    public long count(int prevId, int nextId) {
        check(prevId);
        check(nextId);
        int at = Arrays.binarySearch(next, rowStart[prevId], rowStart[prevId + 1], nextId);
        return at >= 0 ? count[at] : 0;
    }

    /** How often {@code prevId} was followed by anything. */
    public long rowCount(int prevId) {
        check(prevId);
        return rowTotal[prevId];
    }

    /** P(next = nextId | current = prevId). */
    public double probability(int prevId, int nextId) {
        long c = count(prevId, nextId);
        long total = rowTotal[prevId];
        if (total == 0) return 1.0 / vocabSize;
        return (c + addK) / (total + addK * vocabSize);
    }

    /**
     * The mean negative log-likelihood, in nats, of each token of {@code ids} given the one before it: T - 1
     * predictions. A pair never seen without smoothing has probability 0, so the result is then +Infinity.
     */
    public double nll(int[] ids) {
        if (ids.length < 2) {
            throw new IllegalArgumentException("bigram nll: need at least 2 token ids (one prediction), got " + ids.length);
        }
        checkIds(ids, vocabSize);
        double sum = 0;
        for (int t = 0; t + 1 < ids.length; t++) sum -= Math.log(probability(ids[t], ids[t + 1]));
        return sum / (ids.length - 1);
    }

    /** One token that followed another: its id, how often, and the model's probability for it. */
    public record Follower(int id, long count, double probability) {
    }

    /** The (up to) {@code k} tokens seen most often after {@code id}, most frequent first, ties by lower id. */
    public List<Follower> topFollowers(int id, int k) {
        check(id);
        if (k <= 0) throw new IllegalArgumentException("bigram topFollowers: k must be positive, got " + k);
        int[] order = rankedRow(id);
        List<Follower> out = new ArrayList<>(Math.min(k, order.length));
        for (int r = 0; r < order.length && r < k; r++) {
            int at = order[r];
            out.add(new Follower(next[at], count[at], probability(id, next[at])));
        }
        return out;
    }

    /**
     * {@code n} tokens after {@code start}, each the most probable successor of the one before (ties: lower id).
     * A token with no successor seen continues with id 0, the first of its uniform row.
     */
    public int[] generateGreedy(int start, int n) {
        checkGeneration(start, n);
        int[] out = new int[n];
        int cur = start;
        for (int t = 0; t < n; t++) {
            int best = 0;
            int bestCount = -1;
            for (int at = rowStart[cur]; at < rowStart[cur + 1]; at++) {
                if (count[at] > bestCount) {   // ascending ids, so a strict > keeps the lower id on a tie
                    bestCount = count[at];
                    best = next[at];
                }
            }
            out[t] = cur = best;
        }
        return out;
    }

    /** {@code n} tokens after {@code start}, each drawn from the model's full distribution. */
    public int[] sample(int start, int n, Rng rng) {
        checkGeneration(start, n);
        int[] out = new int[n];
        int cur = start;
        for (int t = 0; t < n; t++) out[t] = cur = drawFull(cur, rng);
        return out;
    }

    /**
     * {@code n} tokens after {@code start}, each drawn from the {@code k} most probable successors only, their
     * probabilities renormalised. With smoothing, unseen successors fill the k places after the seen ones, lowest
     * id first, as they all share the same small probability.
     */
    public int[] sampleTopK(int start, int n, int k, Rng rng) {
        checkGeneration(start, n);
        if (k <= 0) throw new IllegalArgumentException("bigram top-k: k must be positive, got " + k);
        int[] out = new int[n];
        int[] candidates = new int[Math.min(k, vocabSize)];
        double[] weights = new double[candidates.length];
        int cur = start;
        for (int t = 0; t < n; t++) {
            int m = topK(cur, candidates, weights);
            double u = rng.nextDouble() * sum(weights, m);
            int pick = candidates[m - 1];
            for (int c = 0; c < m; c++) {
                u -= weights[c];
                if (u < 0) {
                    pick = candidates[c];
                    break;
                }
            }
            out[t] = cur = pick;
        }
        return out;
    }

    /** Fills the k most probable successors of {@code prev} with their unnormalised weights; returns how many. */
    private int topK(int prev, int[] candidates, double[] weights) {
        int k = candidates.length;
        if (rowTotal[prev] == 0) {
            for (int c = 0; c < k; c++) {
                candidates[c] = c;
                weights[c] = 1;
            }
            return k;
        }
        int[] order = rankedRow(prev);
        int m = 0;
        for (; m < order.length && m < k; m++) {
            candidates[m] = next[order[m]];
            weights[m] = count[order[m]] + addK;
        }
        if (addK > 0) {
            int from = rowStart[prev];
            int to = rowStart[prev + 1];
            for (int j = 0; j < vocabSize && m < k; j++) {
                if (Arrays.binarySearch(next, from, to, j) < 0) {
                    candidates[m] = j;
                    weights[m++] = addK;
                }
            }
        }
        return m;
    }

    /** One draw from P(. | prev): the counts and the smoothing are a mixture, so one uniform number picks from both. */
    private int drawFull(int prev, Rng rng) {
        long total = rowTotal[prev];
        if (total == 0) return rng.nextInt(vocabSize);
        double u = rng.nextDouble() * (total + addK * vocabSize);
        if (u < total) {
            for (int at = rowStart[prev]; at < rowStart[prev + 1]; at++) {
                u -= count[at];
                if (u < 0) return next[at];
            }
            return next[rowStart[prev + 1] - 1];
        }
        return Math.min(vocabSize - 1, (int) ((u - total) / addK));
    }

    /** Positions in {@code next} of prev's successors, by count descending, then id ascending. */
    private int[] rankedRow(int prev) {
        int from = rowStart[prev];
        int len = rowStart[prev + 1] - from;
        Integer[] order = new Integer[len];
        for (int i = 0; i < len; i++) order[i] = from + i;
        Arrays.sort(order, (a, b) -> count[a] != count[b] ? Integer.compare(count[b], count[a]) : Integer.compare(next[a], next[b]));
        int[] out = new int[len];
        for (int i = 0; i < len; i++) out[i] = order[i];
        return out;
    }

    private static double sum(double[] w, int m) {
        double s = 0;
        for (int i = 0; i < m; i++) s += w[i];
        return s;
    }

    private void checkGeneration(int start, int n) {
        check(start);
        if (n < 0) throw new IllegalArgumentException("bigram generation: number of tokens must be >= 0, got " + n);
    }

    private void check(int id) {
        if (id < 0 || id >= vocabSize) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + vocabSize);
        }
    }

    private static void checkIds(int[] ids, int vocabSize) {
        for (int t = 0; t < ids.length; t++) {
            if (ids[t] < 0 || ids[t] >= vocabSize) {
                throw new IllegalArgumentException("token id " + ids[t] + " is outside the vocabulary of " + vocabSize
                        + " (at index " + t + ")");
            }
        }
    }
}
