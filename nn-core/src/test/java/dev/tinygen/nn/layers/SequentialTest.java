package dev.tinygen.nn.layers;

import static dev.tinygen.nn.TestArrays.assertClose;
import static dev.tinygen.nn.TestArrays.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import dev.tinygen.nn.Module;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class SequentialTest {
    private final Rng rng = new Rng(4);

    /** A parameter-free module, so the chain has something between the layers. */
    private static final class Square extends Module {
        @Override
        public Tensor forward(Tensor x) {
            return x.mul(x);
        }
    }

    @Test
    void chainsChildrenInOrderAndNamesThemByIndex() {
        Linear l0 = new Linear(4, 6, true, DataType.DOUBLE, rng);
        Linear l2 = new Linear(6, 2, true, DataType.DOUBLE, rng);
        Sequential seq = new Sequential(l0, new Square()).add(l2);
        assertEquals(3, seq.size());
        assertSame(l2, seq.get(2));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(seq.namedParameters().keySet()));
        assertEquals(4 * 6 + 6 + 6 * 2 + 2, seq.parameterCount());

        Tensor x = Tensor.constant(randn(rng, 3, 4));
        INDArray expected = l2.forward(new Square().forward(l0.forward(x))).value();
        assertClose(expected, seq.forward(x).value(), 0);

        seq.eval();
        assertTrue(!l0.isTraining() && !l2.isTraining());
    }

    @Test
    void badUseIsReported() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Sequential(new Square(), null));
        assertTrue(e.getMessage().contains("module 1"), e.getMessage());
        var s = assertThrows(IllegalStateException.class, () -> new Sequential().forward(Tensor.constant(randn(rng, 2))));
        assertTrue(s.getMessage().contains("no modules"), s.getMessage());
        var i = assertThrows(IndexOutOfBoundsException.class, () -> new Sequential(new Square()).get(3));
        assertTrue(i.getMessage().contains("index 3, size 1"), i.getMessage());
    }
}
