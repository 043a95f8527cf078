package dev.tinygen.nn.layers;

import static dev.tinygen.nn.TestArrays.assertClose;
import static dev.tinygen.nn.TestArrays.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinygen.nn.Module;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ActivationModulesTest {
    private final INDArray x = randn(new Rng(13), 3, 5);

    private INDArray run(Module m) {
        Tensor in = Tensor.variable(x);
        Tensor y = m.forward(in);
        y.backward(Nd4j.onesLike(y.value()));
        assertTrue(in.grad() != null, m + " must pass gradients back");
        assertTrue(m.parameters().isEmpty(), m + " has no parameters");
        return y.value();
    }

    private INDArray map(java.util.function.DoubleUnaryOperator f) {
        double[] v = x.dup('c').data().asDouble();
        for (int i = 0; i < v.length; i++) v[i] = f.applyAsDouble(v[i]);
        return Nd4j.create(v, x.shape(), x.dataType());
    }

    @Test
    void eachModuleComputesItsFunction() {
        double k = Math.sqrt(2 / Math.PI);
        assertClose(map(v -> Math.max(v, 0)), run(new ReLU()), 1e-15);
        assertClose(map(Math::tanh), run(new Tanh()), 1e-15);
        assertClose(map(v -> 1 / (1 + Math.exp(-v))), run(new Sigmoid()), 1e-15);
        assertClose(map(v -> 0.5 * v * (1 + Math.tanh(k * (v + 0.044715 * v * v * v)))),
                run(new GELU(GELU.Approximation.TANH)), 1e-14);
        assertClose(dev.tinygen.nn.ops.Gelu.exact(Tensor.constant(x)).value(), run(new GELU()), 0);
    }

    @Test
    void geluDefaultsToTheExactFormLikePyTorch() {
        assertEquals(GELU.Approximation.NONE, new GELU().approximation());
        INDArray exact = run(new GELU());
        INDArray approx = run(new GELU(GELU.Approximation.TANH));
        assertTrue(exact.sub(approx).amaxNumber().doubleValue() > 1e-6, "the two forms must differ");
        assertEquals("GELU(approximation=tanh)", new GELU(GELU.Approximation.TANH).toString());
        var e = assertThrows(IllegalArgumentException.class, () -> new GELU(null));
        assertTrue(e.getMessage().contains("GELU") && e.getMessage().contains("null"), e.getMessage());
    }

    @Test
    void activationsIgnoreEvaluationMode() {
        Module relu = new ReLU().eval();
        assertClose(map(v -> Math.max(v, 0)), relu.forward(Tensor.constant(x)).value(), 0);
    }
}
