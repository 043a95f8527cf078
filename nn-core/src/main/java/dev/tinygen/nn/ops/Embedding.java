package dev.tinygen.nn.ops;

import java.util.Arrays;
import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Embedding lookup: row {@code ids[i]} of the table for every id.
 *
 * <p>Shape: table {@code (V, C)}, ids {@code (...)} of integers in {@code [0, V)} -> {@code (..., C)}; an
 * {@code int[]} of N ids gives {@code (N, C)}.
 *
 * <p>Forward is libnd4j's {@code gather} (exact). Backward adds each row of dy into the table gradient's row for its
 * id with a sequential Java loop: libnd4j's {@code scatter_add} races on repeated ids (ND4J-NOTES.md), and a
 * one-hot gemm costs {@code N * V * C} where the loop costs {@code N * C}.
 */
public final class Embedding extends Op {
    private Tensor table;
    private int[] ids;

    public static Tensor apply(Tensor table, int[] ids) {
        return new Embedding().forward(table, ids.clone(), new long[] {ids.length});  // the caller may reuse its array
    }

    /** Ids of any integer type and any shape. */
    public static Tensor apply(Tensor table, INDArray ids) {
        if (!ids.dataType().isIntType())
            throw new IllegalArgumentException("embedding: ids must be an integer array, got " + ids.dataType());
        checkTable(table);
        long[] wide = ids.length() == 0 ? new long[0] : ids.castTo(DataType.LONG).reshape('c', new long[] {ids.length()}).toLongVector();
        int[] flat = new int[wide.length];
        for (int i = 0; i < wide.length; i++) {
            // Check before narrowing, so a long id of 2^32 + 5 is not taken for 5.
            if (wide[i] < 0 || wide[i] >= Integer.MAX_VALUE) throw outside(wide[i], table);
            flat[i] = (int) wide[i];
        }
        return new Embedding().forward(table, flat, ids.shape());
    }

    private Tensor forward(Tensor table, int[] ids, long[] idShape) {
        checkTable(table);
        if (ids.length == 0) throw new IllegalArgumentException("embedding: no ids given");
        long vocab = table.size(0);
        for (int id : ids) if (id < 0 || id >= vocab) throw outside(id, table);
        this.table = table;
        this.ids = ids;
        long c = table.size(1);
        INDArray out = Nd4j.createUninitialized(table.dtype(), new long[] {ids.length, c}, 'c');      // (N, C)
        Nd4j.exec(DynamicCustomOp.builder("gather").addInputs(table.value(), Nd4j.createFromArray(ids))
                .addOutputs(out).addIntegerArguments(0).build());
        long[] outShape = Arrays.copyOf(idShape, idShape.length + 1);
        outShape[idShape.length] = c;
        return output(out.reshape('c', outShape), table);                                         // (..., C)
    }

    private static void checkTable(Tensor table) {
        if (table.rank() != 2)
            throw new IllegalArgumentException("embedding: expected a table of shape (V, C), got "
                    + Arrays.toString(table.shape()));
        if (!table.dtype().isFPType())
            throw new IllegalArgumentException("embedding: expected a floating-point table, got " + table.dtype());
    }

    private static IllegalArgumentException outside(long id, Tensor table) {
        return new IllegalArgumentException("embedding: token id %d is outside the vocabulary of %d"
                .formatted(id, table.size(0)));
    }

    @Override
    protected void backward(INDArray dyArray) {
        if (!needsGrad(table)) return;
        int c = (int) table.size(1);
        DenseBuffer dy = DenseBuffer.of(dyArray);
        DenseBuffer dTable = DenseBuffer.zeros(table.dtype(), table.shape());                      // (V, C)
        for (int i = 0; i < ids.length; i++) {
            int src = i * c;
            int dst = ids[i] * c;
            for (int j = 0; j < c; j++) dTable.add(dst + j, dy.get(src + j));
        }
        accumulate(table, dTable.as(table.dtype()));
    }
}
