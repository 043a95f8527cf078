package dev.tinygen.nn.layers;

import static dev.tinygen.nn.TestArrays.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class EmbeddingLayerTest {
    @Test
    void weightIsStandardNormalByDefaultAndSeeded() {
        Embedding e = new Embedding(100, 64, new Rng(3));
        assertEquals(List.of("weight"), List.copyOf(e.namedParameters().keySet()));
        assertArrayEquals(new long[] {100, 64}, e.weight().shape());
        assertEquals(DataType.FLOAT, e.weight().dtype());
        INDArray w = e.weight().value().castTo(DataType.DOUBLE);
        assertEquals(0.0, w.meanNumber().doubleValue(), 0.05);       // 6400 draws: standard error 0.0125
        assertEquals(1.0, w.stdNumber().doubleValue(), 0.05);
        assertClose(w, new Embedding(100, 64, new Rng(3)).weight().value(), 0);
        assertTrue(w.sub(new Embedding(100, 64, new Rng(4)).weight().value().castTo(DataType.DOUBLE))
                .amaxNumber().doubleValue() > 0.1);
        Embedding small = new Embedding(100, 64, new Rng(3), 0.02);
        assertClose(w.mul(0.02), small.weight().value(), 1e-6);
        assertEquals(100, e.numEmbeddings());
        assertEquals(64, e.embeddingDim());
    }

    @Test
    void forwardLooksUpRowsAndBackwardFillsTheWeightGradient() {
        Embedding e = new Embedding(10, 4, new Rng(9), 1.0, DataType.DOUBLE);
        INDArray ids = Nd4j.createFromArray(new int[][] {{1, 7, 1}, {0, 9, 7}});
        Tensor y = e.forward(ids);
        assertArrayEquals(new long[] {2, 3, 4}, y.shape());
        assertClose(e.weight().value().getRow(7), y.value().get(
                org.nd4j.linalg.indexing.NDArrayIndex.point(1), org.nd4j.linalg.indexing.NDArrayIndex.point(2),
                org.nd4j.linalg.indexing.NDArrayIndex.all()), 0);
        assertClose(y.value(), e.forward(Tensor.constant(ids)).value(), 0);
        assertClose(y.value().reshape(6, 4), e.forward(new int[] {1, 7, 1, 0, 9, 7}).value(), 0);
        y.sum().backward();
        INDArray expected = Nd4j.zeros(DataType.DOUBLE, 10, 4);
        expected.getRow(1).assign(2);
        expected.getRow(7).assign(2);
        expected.getRow(0).assign(1);
        expected.getRow(9).assign(1);
        assertClose(expected, e.weight().grad(), 0);
    }

    @Test
    void badIdsAndSettingsAreReported() {
        Embedding e = new Embedding(77, 8, new Rng(1));
        var ex = assertThrows(IllegalArgumentException.class, () -> e.forward(new int[] {812}));
        assertEquals("embedding: token id 812 is outside the vocabulary of 77", ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> e.forward(Tensor.constant(Nd4j.zeros(DataType.FLOAT, 2, 3))));
        assertTrue(ex.getMessage().contains("FLOAT") && ex.getMessage().contains("[2, 3]"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> new Embedding(0, 8, new Rng(1)));
        assertTrue(ex.getMessage().contains("got 0 and 8"), ex.getMessage());
    }
}
