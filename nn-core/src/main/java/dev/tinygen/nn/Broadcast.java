package dev.tinygen.nn;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** NumPy broadcasting rules: the result shape of two operands, and the reduction that undoes a broadcast. */
public final class Broadcast {
    private Broadcast() {}

    /**
     * The shape two operands broadcast to, aligned at the right; each pair of sizes must be equal or one of them
     * 1.
     *
     * @throws IllegalArgumentException naming both shapes when they do not broadcast
     */
    public static long[] shape(String where, long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            long db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1)
                throw new IllegalArgumentException("%s: shapes %s and %s do not broadcast (dimension %d: %d vs %d)"
                        .formatted(where, Arrays.toString(a), Arrays.toString(b), i, da, db));
            out[i] = Math.max(da, db);
        }
        return out;
    }

    /**
     * {@code x} with 1s prepended to its shape up to {@code rank} (a view). ND4J's elementwise ops mis-broadcast a
     * vector against a higher-rank array whose last size is 1 ({@code [2, 1] + [2]} fails), but handle equal ranks.
     */
    public static INDArray toRank(INDArray x, int rank) {
        if (x.rank() >= rank) return x;
        long[] s = new long[rank];
        Arrays.fill(s, 1);
        System.arraycopy(x.shape(), 0, s, rank - x.rank(), x.rank());
        return x.reshape(s);
    }

    /**
     * Sums {@code g} down to {@code shape}: over leading dimensions {@code shape} lacks and over dimensions where
     * {@code shape} has 1 and {@code g} more. Returns {@code g} itself when the shapes already match.
     */
    public static INDArray reduceTo(INDArray g, long[] shape) {
        long[] gs = g.shape();
        if (Arrays.equals(gs, shape)) return g;
        int lead = gs.length - shape.length;
        if (lead < 0)
            throw new IllegalArgumentException("gradient of shape %s cannot reduce to larger shape %s"
                    .formatted(Arrays.toString(gs), Arrays.toString(shape)));
        int[] axes = new int[gs.length];
        int n = 0;
        for (int i = 0; i < gs.length; i++) {
            if (i < lead) axes[n++] = i;
            else if (shape[i - lead] == 1 && gs[i] != 1) axes[n++] = i;
            else if (shape[i - lead] != gs[i])
                throw new IllegalArgumentException("gradient of shape %s cannot reduce to shape %s"
                        .formatted(Arrays.toString(gs), Arrays.toString(shape)));
        }
        INDArray r = n == 0 ? g : g.sum(true, Arrays.copyOf(axes, n));
        if (lead > 0 || r.rank() != shape.length) r = r.reshape(shape);
        return r;
    }
}
