package dev.tinygen.nn.ops;

import java.util.Arrays;
import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Reorders dimensions: output dimension {@code i} is input dimension {@code order[i]}. The result is a view. */
public final class Permute extends Op {
    private Tensor x;
    private int[] inverse;

    public static Tensor apply(Tensor x, int... order) {
        return new Permute().forward(x, order);
    }

    /** Swaps two dimensions (negative indices count from the end). */
    public static Tensor transpose(Tensor x, int dim0, int dim1) {
        int r = x.rank();
        int d0 = Checks.axis("transpose", dim0, r);
        int d1 = Checks.axis("transpose", dim1, r);
        int[] order = new int[r];
        for (int i = 0; i < r; i++) order[i] = i;
        order[d0] = d1;
        order[d1] = d0;
        return apply(x, order);
    }

    private Tensor forward(Tensor x, int[] order) {
        int r = x.rank();
        if (order.length != r)
            throw new IllegalArgumentException("permute: order %s has %d entries, tensor %s has rank %d"
                    .formatted(Arrays.toString(order), order.length, Arrays.toString(x.shape()), r));
        inverse = new int[r];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            int o = order[i];
            if (o < 0 || o >= r || seen[o])
                throw new IllegalArgumentException("permute: order %s is not a permutation of 0..%d"
                        .formatted(Arrays.toString(order), r - 1));
            seen[o] = true;
            inverse[o] = i;
        }
        this.x = x;
        return output(x.value().permute(order), x);
    }

    @Override
    protected void backward(INDArray dy) {
        accumulate(x, dy.permute(inverse));
    }
}
