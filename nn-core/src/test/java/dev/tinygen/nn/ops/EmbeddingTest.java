package dev.tinygen.nn.ops;

import static dev.tinygen.nn.TestArrays.assertClose;
import static dev.tinygen.nn.TestArrays.assertGradOk;
import static dev.tinygen.nn.TestArrays.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinygen.nn.GradCheck;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class EmbeddingTest {
    private final Rng rng = new Rng(31);

    private static INDArray naiveLookup(INDArray table, int[] ids) {
        int c = (int) table.size(1);
        double[] out = new double[ids.length * c];
        for (int i = 0; i < ids.length; i++)
            for (int j = 0; j < c; j++) out[i * c + j] = table.getDouble(ids[i], j);
        return Nd4j.create(out, new long[] {ids.length, c}, DataType.DOUBLE);
    }

    @Test
    void lookupOfIdsOfAnyShape() {
        INDArray table = randn(rng, 10, 4);
        int[] ids = {3, 0, 9, 3, 7, 1};
        INDArray expected = naiveLookup(table, ids);
        assertClose(expected, Embedding.apply(Tensor.constant(table), ids).value(), 0);
        INDArray bt = Nd4j.createFromArray(ids).reshape(2, 3);
        Tensor y = Embedding.apply(Tensor.constant(table), bt);
        assertArrayEquals(new long[] {2, 3, 4}, y.shape());
        assertClose(expected.reshape(2, 3, 4), y.value(), 0);
        Tensor yl = Embedding.apply(Tensor.constant(table), bt.castTo(DataType.LONG).transpose());
        assertArrayEquals(new long[] {3, 2, 4}, yl.shape());
        assertClose(expected.reshape(2, 3, 4).permute(1, 0, 2), yl.value(), 0);
        Tensor one = Embedding.apply(Tensor.constant(table), Nd4j.scalar(7));
        assertArrayEquals(new long[] {4}, one.shape());
        assertClose(table.getRow(7), one.value(), 0);
        Tensor y32 = Embedding.apply(Tensor.constant(table.castTo(DataType.FLOAT)), bt);
        assertEquals(DataType.FLOAT, y32.dtype());
        assertClose(expected.reshape(2, 3, 4), y32.value(), 1e-7);
    }

    @Test
    void lookupInATableThatIsAViewAtAnOffset() {
        INDArray flat = randn(rng, 50);
        INDArray table = flat.get(NDArrayIndex.interval(10, 40)).reshape(6, 5);
        int[] ids = {5, 0, 2};
        assertClose(naiveLookup(table.dup(), ids), Embedding.apply(Tensor.constant(table), ids).value(), 0);
    }

    @Test
    void repeatedIdsSumExactly() {
        int v = 6;
        int c = 3;
        int[] ids = new int[600];
        for (int i = 0; i < ids.length; i++) ids[i] = i % 7 == 0 ? 4 : (i * 5) % 3;   // id 4 often, 0-2 many times
        INDArray dy = randn(rng, ids.length, c);
        double[][] expected = new double[v][c];
        for (int i = 0; i < ids.length; i++)
            for (int j = 0; j < c; j++) expected[ids[i]][j] += dy.getDouble(i, j);
        Tensor table = Tensor.variable(randn(rng, v, c));
        Embedding.apply(table, ids).backward(dy);
        assertClose(Nd4j.create(expected), table.grad(), 0);

        // Float32 with multiples of 1/8: every partial sum is exact, so any lost or doubled add shows.
        INDArray dy32 = Nd4j.zeros(DataType.FLOAT, ids.length, c);
        double[][] exact = new double[v][c];
        for (int i = 0; i < ids.length; i++)
            for (int j = 0; j < c; j++) {
                double d = rng.nextInt(17) / 8.0 - 1;
                dy32.putScalar(i, j, d);
                exact[ids[i]][j] += d;
            }
        Tensor table32 = Tensor.variable(Nd4j.zeros(DataType.FLOAT, v, c));
        Embedding.apply(table32, Nd4j.createFromArray(ids).reshape(20, 30)).backward(dy32.reshape(20, 30, c));
        assertClose(Nd4j.create(exact), table32.grad(), 0);
        assertEquals(0.0, table32.grad().getRow(5).amaxNumber().doubleValue(), 0);  // an unused id gets nothing
    }

    @Test
    void gradientOfTheTable() {
        INDArray table = randn(rng, 5, 3);
        INDArray ids = Nd4j.createFromArray(new int[][] {{1, 4, 1}, {0, 1, 4}});
        assertGradOk(GradCheck.check(in -> Embedding.apply(in.get(0), ids), table));
        assertGradOk(GradCheck.check(in -> Embedding.apply(in.get(0), new int[] {2, 2, 2, 0}), table));
    }

    @Test
    void badIdsAndTablesAreReported() {
        Tensor table = Tensor.constant(Nd4j.zeros(DataType.FLOAT, 77, 8));
        var e = assertThrows(IllegalArgumentException.class, () -> Embedding.apply(table, new int[] {3, 812}));
        assertEquals("embedding: token id 812 is outside the vocabulary of 77", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Embedding.apply(table, Nd4j.createFromArray(new int[][] {{1, -2}})));
        assertTrue(e.getMessage().contains("token id -2") && e.getMessage().contains("77"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Embedding.apply(table, Nd4j.createFromArray((1L << 32) + 5)));
        assertTrue(e.getMessage().contains("token id 4294967301"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Embedding.apply(table, Nd4j.createFromArray(1.0f, 2.0f)));
        assertTrue(e.getMessage().contains("integer") && e.getMessage().contains("FLOAT"), e.getMessage());
        Tensor flat = Tensor.constant(Nd4j.zeros(DataType.FLOAT, 77));
        e = assertThrows(IllegalArgumentException.class, () -> Embedding.apply(flat, new int[] {1}));
        assertTrue(e.getMessage().contains("(V, C)") && e.getMessage().contains("[77]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Embedding.apply(table, new int[0]));
        assertTrue(e.getMessage().contains("no ids"), e.getMessage());
    }
}
