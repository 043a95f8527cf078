package dev.tinygen.nn.layers;

import static dev.tinygen.nn.TestArrays.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ConvLayersTest {
    private final Rng rng = new Rng(3);

    @Test
    void forwardIsTheOpWithTheLayersParameters() {
        Conv2d conv = new Conv2d(3, 5, 3, 2, 1, true, rng, DataType.DOUBLE);
        INDArray x = rng.normal(DataType.DOUBLE, 1, 2, 3, 9, 8);
        INDArray expected = dev.tinygen.nn.ops.Conv2d.apply(Tensor.constant(x), conv.weight(), conv.bias(), 2, 1).value();
        assertClose(expected, conv.forward(Tensor.constant(x)).value(), 0);

        ConvTranspose2d up = new ConvTranspose2d(5, 3, 3, 2, 1, 1, true, rng, DataType.DOUBLE);
        INDArray h = rng.normal(DataType.DOUBLE, 1, 2, 5, 4, 5);
        INDArray expectedUp = dev.tinygen.nn.ops.ConvTranspose2d.apply(Tensor.constant(h), up.weight(), up.bias(), 2, 1, 1).value();
        Tensor y = up.forward(Tensor.constant(h));
        assertClose(expectedUp, y.value(), 0);
        assertArrayEquals(new long[] {2, 3, 8, 10}, y.shape());

        y.sum().backward();
        assertTrue(up.weight().grad().amaxNumber().doubleValue() > 0, "weight gradient stayed zero");
        assertClose(Nd4j.ones(DataType.DOUBLE, 3).muli(2 * 8 * 10), up.bias().grad(), 1e-12);  // each bias feeds B Ho Wo outputs
    }

    @Test
    void mnistEncoderDecoderShapesAndParameters() {
        Conv2d c1 = new Conv2d(1, 32, 4, 2, 1, rng);
        Conv2d c2 = new Conv2d(32, 64, 4, 2, 1, rng);
        ConvTranspose2d d1 = new ConvTranspose2d(64, 32, 4, 2, 1, rng);
        ConvTranspose2d d2 = new ConvTranspose2d(32, 1, 4, 2, 1, rng);
        Tensor x = Tensor.constant(rng.normal(DataType.FLOAT, 1, 4, 1, 28, 28));
        Tensor h = c2.forward(c1.forward(x));
        assertArrayEquals(new long[] {4, 64, 7, 7}, h.shape());
        Tensor out = d2.forward(d1.forward(h));
        assertArrayEquals(new long[] {4, 1, 28, 28}, out.shape());
        assertEquals(DataType.FLOAT, out.dtype());

        assertEquals(List.of("weight", "bias"), List.copyOf(c2.namedParameters().keySet()));
        assertArrayEquals(new long[] {64, 32, 4, 4}, c2.weight().shape());
        assertArrayEquals(new long[] {64, 32, 4, 4}, d1.weight().shape());
        assertArrayEquals(new long[] {32}, d1.bias().shape());
        assertEquals(64 * 32 * 16 + 64, c2.parameterCount());
        assertTrue(c2.weight().decay() && !c2.bias().decay());

        Conv2d noBias = new Conv2d(1, 8, 3, 1, 1, false, rng, DataType.FLOAT);
        assertEquals(List.of("weight"), List.copyOf(noBias.namedParameters().keySet()));
        assertNull(noBias.bias());
        assertArrayEquals(new long[] {4, 8, 28, 28}, noBias.forward(x).shape());
    }

    @Test
    void initIsPyTorchsUniformBoundAndSeeded() {
        Conv2d c = new Conv2d(32, 64, 4, 2, 1, new Rng(9));
        double bound = 1 / Math.sqrt(32 * 16);                          // fanIn = Cin k k
        assertBound(c.weight().value(), bound);
        assertBound(c.bias().value(), bound);
        assertClose(c.weight().value(), new Conv2d(32, 64, 4, 2, 1, new Rng(9)).weight().value(), 0);

        ConvTranspose2d d = new ConvTranspose2d(64, 8, 4, 2, 1, new Rng(9));
        double boundT = 1 / Math.sqrt(8 * 16);                          // fanIn = Cout k k, as PyTorch counts it
        assertBound(d.weight().value(), boundT);
        assertBound(d.bias().value(), boundT);
    }

    /** All values inside [-bound, bound], and the extremes near it, so a wrong fan-in shows. */
    private static void assertBound(INDArray v, double bound) {
        double max = v.amaxNumber().doubleValue();
        assertTrue(max <= bound, "max |value| %g exceeds bound %g".formatted(max, bound));
        assertTrue(max > 0.8 * bound, "max |value| %g is far below bound %g".formatted(max, bound));
    }

    @Test
    void badSettingsNameTheNumbers() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(0, 4, 3, 1, 1, rng));
        assertTrue(e.getMessage().contains("in 0") && e.getMessage().contains("kernel 3"), e.getMessage());
        var t = assertThrows(IllegalArgumentException.class,
                () -> new ConvTranspose2d(4, 4, 3, 2, 1, 2, true, rng, DataType.FLOAT));
        assertTrue(t.getMessage().contains("got 2 and 2"), t.getMessage());
        Conv2d c = new Conv2d(3, 4, 3, 1, 1, rng);
        var f = assertThrows(IllegalArgumentException.class,
                () -> c.forward(Tensor.constant(rng.normal(DataType.FLOAT, 1, 2, 1, 8, 8))));
        assertTrue(f.getMessage().contains("1 channels") && f.getMessage().contains("expects 3"), f.getMessage());
    }
}
