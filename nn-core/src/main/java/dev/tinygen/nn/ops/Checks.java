package dev.tinygen.nn.ops;

import java.util.Arrays;
import dev.tinygen.nn.Tensor;

/** Argument checks shared by ops; every message names the op, what was expected and what came. */
public final class Checks {
    private Checks() {}

    public static void sameType(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype())
            throw new IllegalArgumentException("%s: operands must have the same data type, got %s and %s"
                    .formatted(op, a.dtype(), b.dtype()));
    }

    public static void rank(String op, Tensor t, int... allowed) {
        for (int r : allowed) if (t.rank() == r) return;
        throw new IllegalArgumentException("%s: expected rank %s, got shape %s"
                .formatted(op, allowed.length == 1 ? String.valueOf(allowed[0]) : "one of " + Arrays.toString(allowed),
                        Arrays.toString(t.shape())));
    }

    /** Normalises a possibly negative axis against {@code rank}. */
    public static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
            throw new IllegalArgumentException("%s: axis %d is out of range for rank %d".formatted(op, axis, rank));
        return a;
    }

    /** {@code x} itself when it is a dense row-major array, else a row-major copy: reshapes of it are then views. */
    public static org.nd4j.linalg.api.ndarray.INDArray contiguous(org.nd4j.linalg.api.ndarray.INDArray x) {
        if (x.ordering() == 'c' && !x.isView() && x.elementWiseStride() == 1) return x;
        return x.dup('c');
    }
}
