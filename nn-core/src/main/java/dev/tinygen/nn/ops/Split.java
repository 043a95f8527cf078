package dev.tinygen.nn.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import dev.tinygen.nn.Tensor;

/**
 * Cuts one axis into consecutive pieces of the given sizes, e.g. a fused {@code (B, T, 3C)} projection into
 * query, key and value. Each piece is a {@link Slice} (a view), so backward works when only some pieces are
 * used: the unused ones simply contribute nothing.
 *
 * <p>Shape: {@code (..., sum sizes, ...)} -> one tensor {@code (..., sizes[i], ...)} per size.
 */
public final class Split {
    private Split() {}

    public static List<Tensor> apply(Tensor x, int axis, long... sizes) {
        int a = Checks.axis("split", axis, x.rank());
        if (sizes.length == 0) throw new IllegalArgumentException("split: expected at least one size, got none");
        long total = 0;
        for (long s : sizes) {
            if (s <= 0)
                throw new IllegalArgumentException("split: sizes must be positive, got " + Arrays.toString(sizes));
            total += s;
        }
        if (total != x.size(a))
            throw new IllegalArgumentException("split: sizes %s add up to %d, but axis %d of shape %s has size %d"
                    .formatted(Arrays.toString(sizes), total, a, Arrays.toString(x.shape()), x.size(a)));
        List<Tensor> out = new ArrayList<>(sizes.length);
        long from = 0;
        for (long s : sizes) {
            out.add(Slice.apply(x, a, from, from + s));
            from += s;
        }
        return out;
    }

    /** {@code parts} pieces of equal size; the axis must divide evenly. */
    public static List<Tensor> chunks(Tensor x, int axis, int parts) {
        int a = Checks.axis("split", axis, x.rank());
        long size = x.size(a);
        if (parts <= 0 || size % parts != 0)
            throw new IllegalArgumentException("split: axis %d of shape %s (size %d) does not divide into %d equal parts"
                    .formatted(a, Arrays.toString(x.shape()), size, parts));
        long[] sizes = new long[parts];
        Arrays.fill(sizes, size / parts);
        return apply(x, a, sizes);
    }
}
