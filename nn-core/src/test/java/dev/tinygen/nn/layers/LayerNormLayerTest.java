package dev.tinygen.nn.layers;

import static dev.tinygen.nn.TestArrays.assertClose;
import static dev.tinygen.nn.TestArrays.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import dev.tinygen.nn.Parameter;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LayerNormLayerTest {
    private final Rng rng = new Rng(5);

    @Test
    void parametersAreNamedInitialisedAndNotDecayed() {
        LayerNorm ln = new LayerNorm(8);
        assertEquals(List.of("weight", "bias"), List.copyOf(ln.namedParameters().keySet()));
        assertClose(Nd4j.ones(DataType.FLOAT, 8), ln.weight().value(), 0);
        assertClose(Nd4j.zeros(DataType.FLOAT, 8), ln.bias().value(), 0);
        for (Parameter p : ln.parameters()) {
            assertFalse(p.decay());
            assertEquals(DataType.FLOAT, p.dtype());
        }
        assertEquals(16, ln.parameterCount());
        assertEquals(1e-5, ln.eps());
        assertEquals(8, ln.normalizedShape());
    }

    @Test
    void forwardNormalisesRowsAndBackwardReachesParameters() {
        LayerNorm ln = new LayerNorm(6, 1e-5, DataType.DOUBLE);
        INDArray x = randn(rng, 2, 3, 6).muli(4).addi(3);
        Tensor y = ln.forward(Tensor.constant(x));
        assertArrayEquals(new long[] {2, 3, 6}, y.shape());
        INDArray rows = y.value().reshape(6, 6);
        assertClose(Nd4j.zeros(DataType.DOUBLE, 6), rows.mean(1), 1e-12);
        assertClose(Nd4j.ones(DataType.DOUBLE, 6), rows.var(false, 1), 1e-5);  // 1 - eps/var, var ~ 16

        INDArray dy = randn(rng, 2, 3, 6);
        ln.forward(Tensor.constant(x)).backward(dy);
        Tensor g = Tensor.variable(Nd4j.ones(DataType.DOUBLE, 6));
        Tensor b = Tensor.variable(Nd4j.zeros(DataType.DOUBLE, 6));
        dev.tinygen.nn.ops.LayerNorm.apply(Tensor.constant(x), g, b).backward(dy);
        assertClose(g.grad(), ln.weight().grad(), 1e-12);
        assertClose(b.grad(), ln.bias().grad(), 1e-12);
        assertTrue(ln.bias().grad().amaxNumber().doubleValue() > 0);
    }

    @Test
    void wrongWidthAndSettingsAreReported() {
        LayerNorm ln = new LayerNorm(128);
        var e = assertThrows(IllegalArgumentException.class,
                () -> ln.forward(Tensor.constant(Nd4j.zeros(DataType.FLOAT, 4, 64, 96))));
        assertEquals("layerNorm: expected last dimension 128, got [4, 64, 96]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LayerNorm(0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LayerNorm(4, -1.0));
        assertTrue(e.getMessage().contains("-1.0"), e.getMessage());
    }
}
