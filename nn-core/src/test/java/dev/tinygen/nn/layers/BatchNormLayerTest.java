package dev.tinygen.nn.layers;

import static dev.tinygen.nn.TestArrays.assertClose;
import static dev.tinygen.nn.TestArrays.assertGradOk;
import static dev.tinygen.nn.TestArrays.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import dev.tinygen.nn.GradCheck;
import dev.tinygen.nn.Parameter;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BatchNormLayerTest {
    private final Rng rng = new Rng(9);

    @Test
    void parametersAndBuffersAreNamedAndInitialisedAsPyTorch() {
        BatchNorm bn = new BatchNorm(8);
        assertEquals(List.of("weight", "bias"), List.copyOf(bn.namedParameters().keySet()));
        assertEquals(List.of("running_mean", "running_var"), List.copyOf(bn.namedBuffers().keySet()));
        assertClose(Nd4j.ones(DataType.FLOAT, 8), bn.weight().value(), 0);
        assertClose(Nd4j.zeros(DataType.FLOAT, 8), bn.bias().value(), 0);
        assertClose(Nd4j.zeros(DataType.FLOAT, 8), bn.runningMean(), 0);
        assertClose(Nd4j.ones(DataType.FLOAT, 8), bn.runningVar(), 0);
        for (Parameter p : bn.parameters()) assertFalse(p.decay());
        assertEquals(16, bn.parameterCount(), "the running statistics are not parameters");
        assertEquals(1e-5, bn.eps());
        assertEquals(0.1, bn.momentum());
        assertEquals(8, bn.channels());
    }

    /** Training mode uses the batch and moves the running statistics; eval mode then normalises by those. */
    @Test
    void trainingThenEvalModeOnImages() {
        BatchNorm bn = new BatchNorm(3, 1e-5, 0.1, DataType.DOUBLE);
        INDArray x = randn(rng, 4, 3, 5, 5).muli(2).addi(3);
        INDArray perChannel = x.permute(1, 0, 2, 3).dup('c').reshape(3, 100);  // (C, N*H*W)
        INDArray mean = perChannel.mean(1);
        INDArray unbiased = perChannel.var(true, 1);
        Tensor y = bn.forward(Tensor.constant(x));
        INDArray yc = y.value().permute(1, 0, 2, 3).dup('c').reshape(3, 100);
        assertClose(Nd4j.zeros(DataType.DOUBLE, 3), yc.mean(1), 1e-12);
        assertClose(Nd4j.ones(DataType.DOUBLE, 3), yc.var(false, 1), 1e-4);
        assertClose(mean.mul(0.1), bn.runningMean(), 1e-12);
        assertClose(unbiased.mul(0.1).addi(0.9), bn.runningVar(), 1e-12);

        bn.eval();
        INDArray before = bn.runningMean().dup();
        INDArray one = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)).dup();  // (1, 3, 5, 5)
        INDArray z = bn.forward(Tensor.constant(one)).value();
        INDArray expected = one.sub(bn.runningMean().reshape(1, 3, 1, 1))
                .div(Nd4j.math().sqrt(bn.runningVar().add(1e-5)).reshape(1, 3, 1, 1));
        assertClose(expected, z, 1e-12);
        assertClose(before, bn.runningMean(), 0);
    }

    @Test
    void gradientsReachWeightAndBiasInTrainingMode() {
        BatchNorm bn = new BatchNorm(4, 1e-5, 0.1, DataType.DOUBLE);
        bn.weight().value().assign(randn(rng, 4));
        bn.bias().value().assign(randn(rng, 4));
        INDArray x = randn(rng, 6, 4);
        assertGradOk(GradCheck.checkParameters(bn.parameters(), () -> bn.forward(Tensor.constant(x)).mul(Tensor.constant(x)),
                GradCheck.EPS, GradCheck.TOLERANCE));
    }

    @Test
    void toDoubleConvertsTheBuffersAndKeepsUpdatingThem() {
        BatchNorm bn = new BatchNorm(2);
        bn.to(DataType.DOUBLE);
        assertEquals(DataType.DOUBLE, bn.runningMean().dataType());
        assertEquals(DataType.DOUBLE, bn.namedBuffers().get("running_var").dataType());
        INDArray x = Nd4j.create(new double[][] {{1, 10}, {3, 30}});
        bn.forward(Tensor.constant(x));
        assertClose(Nd4j.create(new double[] {0.2, 2.0}), bn.runningMean(), 1e-12);
        assertClose(Nd4j.create(new double[] {0.9 + 0.1 * 2, 0.9 + 0.1 * 200}), bn.runningVar(), 1e-12);
    }

    @Test
    void wrongChannelsBatchOfOneAndSettingsAreReported() {
        BatchNorm bn = new BatchNorm(64);
        var e = assertThrows(IllegalArgumentException.class,
                () -> bn.forward(Tensor.constant(Nd4j.zeros(DataType.FLOAT, 8, 32, 7, 7))));
        assertEquals("batchNorm: expected 64 channels (dimension 1), got 32 in input [8, 32, 7, 7]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.constant(Nd4j.zeros(DataType.FLOAT, 8, 64, 7))));
        assertTrue(e.getMessage().contains("[8, 64, 7]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.constant(Nd4j.zeros(DataType.FLOAT, 1, 64))));
        assertTrue(e.getMessage().contains("more than 1 value per channel when training"), e.getMessage());
        bn.eval();
        assertArrayEquals(new long[] {1, 64}, bn.forward(Tensor.constant(Nd4j.zeros(DataType.FLOAT, 1, 64))).shape());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm(0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm(4, 1e-5, -0.1, DataType.FLOAT));
        assertTrue(e.getMessage().contains("momentum") && e.getMessage().contains("-0.1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm(4, Double.NaN, 0.1, DataType.FLOAT));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm(4, 1e-5, 0.1, DataType.INT));
        assertTrue(e.getMessage().contains("INT"), e.getMessage());
    }
}
