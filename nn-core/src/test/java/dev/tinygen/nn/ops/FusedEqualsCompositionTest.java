package dev.tinygen.nn.ops;

import static dev.tinygen.nn.TestArrays.assertClose;
import static dev.tinygen.nn.TestArrays.randn;

import java.util.List;
import java.util.function.Function;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every fused op on the hot path gives the values and gradients of the same computation written with plain ops. */
class FusedEqualsCompositionTest {
    private final Rng rng = new Rng(21);

    /** Runs f on fresh variables, backpropagates the same random weighting, returns {output, grad of each input}. */
    private static INDArray[] run(Function<List<Tensor>, Tensor> f, INDArray weighting, INDArray... inputs) {
        List<Tensor> vars = java.util.Arrays.stream(inputs).map(x -> Tensor.variable(x.dup())).toList();
        Tensor out = f.apply(vars);
        out.mul(Tensor.constant(weighting)).sum().backward();
        INDArray[] r = new INDArray[inputs.length + 1];
        r[0] = out.value();
        for (int i = 0; i < inputs.length; i++) r[i + 1] = vars.get(i).grad();
        return r;
    }

    private void assertSame(Function<List<Tensor>, Tensor> fused, Function<List<Tensor>, Tensor> composed,
                            long[] outShape, INDArray... inputs) {
        INDArray w = randn(rng, outShape);
        INDArray[] a = run(fused, w, inputs);
        INDArray[] b = run(composed, w, inputs);
        for (int i = 0; i < a.length; i++) assertClose(b[i], a[i], 1e-10);
    }

    @Test
    void layerNorm() {
        INDArray x = randn(rng, 3, 5, 8), g = randn(rng, 8), b = randn(rng, 8);
        double eps = 1e-5;
        assertSame(in -> LayerNorm.apply(in.get(0), in.get(1), in.get(2), eps), in -> {
            Tensor xc = in.get(0).sub(in.get(0).mean(true, -1));                        // (3, 5, 8)
            Tensor var = xc.mul(xc).mean(true, -1);                                     // (3, 5, 1)
            return xc.div(var.scale(1, eps).sqrt()).mul(in.get(1)).add(in.get(2));
        }, new long[] {3, 5, 8}, x, g, b);
    }

    @Test
    void linear() {
        INDArray x = randn(rng, 2, 3, 5), w = randn(rng, 5, 4), b = randn(rng, 4);
        assertSame(in -> LinearOp.apply(in.get(0), in.get(1), in.get(2)),
                in -> in.get(0).matmul(in.get(1)).add(in.get(2)), new long[] {2, 3, 4}, x, w, b);
        assertSame(in -> LinearOp.apply(in.get(0), in.get(1), null),
                in -> in.get(0).matmul(in.get(1)), new long[] {2, 3, 4}, x, w);
        dev.tinygen.nn.TestArrays.assertGradOk(dev.tinygen.nn.GradCheck.check(
                in -> LinearOp.apply(in.get(0), in.get(1), in.get(2)), x, w, b));
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LinearOp.apply(Tensor.constant(x), Tensor.constant(randn(rng, 5, 4)), Tensor.constant(randn(rng, 3))));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("expected bias (4), got [3]"), e.getMessage());
    }

    @Test
    void geluTanh() {
        INDArray x = randn(rng, 4, 7).muli(2);
        double c = Math.sqrt(2 / Math.PI);
        assertSame(in -> Gelu.tanh(in.get(0)), in -> {
            Tensor v = in.get(0);
            Tensor inner = v.add(v.pow(3).scale(0.044715, 0)).scale(c, 0);
            return v.mul(inner.tanh().scale(0.5, 0.5));
        }, new long[] {4, 7}, x);
    }

    @Test
    void causalSelfAttention() {
        int b = 2, t = 6, nh = 2, c = 8, hs = c / nh;
        INDArray qkv = randn(rng, b, t, 3L * c);
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, t, t);
        for (int i = 0; i < t; i++) for (int j = i + 1; j < t; j++) mask.putScalar(i, j, 1);
        assertSame(in -> CausalSelfAttention.apply(in.get(0), nh), in -> {
            List<Tensor> parts = in.get(0).split(2, c, c, c);
            Tensor q = parts.get(0).reshape(b, t, nh, hs).permute(0, 2, 1, 3);          // (B, nh, T, hs)
            Tensor k = parts.get(1).reshape(b, t, nh, hs).permute(0, 2, 1, 3);
            Tensor v = parts.get(2).reshape(b, t, nh, hs).permute(0, 2, 1, 3);
            Tensor s = q.matmul(k, false, true).scale(1 / Math.sqrt(hs), 0);            // (B, nh, T, T)
            Tensor p = s.maskedFill(mask, Double.NEGATIVE_INFINITY).softmax(-1);
            return p.matmul(v).permute(0, 2, 1, 3).reshape(b, t, c);                     // (B, T, C)
        }, new long[] {b, t, c}, qkv);
    }

    @Test
    void crossEntropy() {
        INDArray logits = randn(rng, 6, 9);
        int[] targets = {0, 8, 3, 3, 5, 1};
        INDArray onehot = Nd4j.zeros(DataType.DOUBLE, 6, 9);
        for (int i = 0; i < 6; i++) onehot.putScalar(i, targets[i], 1);
        assertSame(in -> CrossEntropy.apply(in.get(0), targets),
                in -> in.get(0).logSoftmax(-1).mul(Tensor.constant(onehot)).sum().scale(-1.0 / 6, 0),
                new long[0], logits);
    }
}
