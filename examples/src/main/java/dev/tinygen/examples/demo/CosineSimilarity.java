package dev.tinygen.examples.demo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cosine similarity between rows of an embedding table, and each row's nearest neighbours by it: tokens the model
 * uses alike end up pointing the same way, whatever their lengths.
 *
 * <p>Shape: table (V, C); {@link #nearest} -> up to k (id, similarity) pairs.
 */
public final class CosineSimilarity {
    private CosineSimilarity() {}

    public record Neighbour(int id, double similarity) {}

    /** a . b / (|a| |b|); 0 when either vector is zero. */
    public static double of(double[] a, double[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("cosine: vectors of length %d and %d".formatted(a.length, b.length));
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    /** The {@code k} rows most similar to row {@code id}, itself excluded, most similar first (ties: lower id). */
    public static List<Neighbour> nearest(double[][] table, int id, int k) {
        if (id < 0 || id >= table.length)
            throw new IllegalArgumentException("cosine: row %d is outside the table of %d rows".formatted(id, table.length));
        if (k < 1) throw new IllegalArgumentException("cosine: k must be >= 1, got " + k);
        List<Neighbour> all = new ArrayList<>(table.length - 1);
        for (int j = 0; j < table.length; j++) if (j != id) all.add(new Neighbour(j, of(table[id], table[j])));
        all.sort(Comparator.comparingDouble((Neighbour n) -> -n.similarity()).thenComparingInt(Neighbour::id));
        return all.subList(0, Math.min(k, all.size()));
    }
}
