package dev.tinygen.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinygen.nn.Module;
import dev.tinygen.nn.Parameter;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.layers.BatchNorm;
import dev.tinygen.nn.layers.Linear;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ParameterAverageTest {
    /** Two linear layers: four parameters of different shapes. */
    private static final class Net extends Module {
        Net(long seed, int width) {
            Rng rng = new Rng(seed);
            register("a", new Linear(3, width, rng));
            register("b", new Linear(width, 2, rng));
        }
    }

    @Test
    void followsTheHandComputedAverageThroughOptimizerSteps() {
        Net trained = new Net(1, 5);
        Net averaged = new Net(2, 5);
        // Adam lays the trained parameters out in one flat buffer: the average must read through those views.
        Adam opt = new Adam(trained.namedParameters(), 0.05);
        var names = trained.namedParameters().keySet().toArray(String[]::new);
        double[][] expected = new double[names.length][];
        for (int i = 0; i < names.length; i++) expected[i] = toDoubles(trained.namedParameters().get(names[i]));

        ParameterAverage ema = new ParameterAverage(trained, averaged, 0.8);
        Rng rng = new Rng(7);
        for (int step = 0; step < 12; step++) {
            opt.zeroGrad();
            for (Parameter p : trained.parameters()) p.grad().assign(rng.normal(p.dtype(), 1.0, p.shape()));
            opt.step();
            double d = Math.min(0.8, (1.0 + step) / (10.0 + step));
            assertEquals(d, ema.currentDecay(), 0.0);
            ema.update();
            for (int i = 0; i < names.length; i++) {
                double[] now = toDoubles(trained.namedParameters().get(names[i]));
                for (int j = 0; j < now.length; j++) expected[i][j] = d * expected[i][j] + (1 - d) * now[j];
            }
        }
        assertEquals(12, ema.updates());
        for (int i = 0; i < names.length; i++) {
            double[] got = toDoubles(averaged.namedParameters().get(names[i]));
            double[] raw = toDoubles(trained.namedParameters().get(names[i]));
            double maxDiff = 0, maxMove = 0;
            for (int j = 0; j < got.length; j++) {
                maxDiff = Math.max(maxDiff, Math.abs(got[j] - expected[i][j]));
                maxMove = Math.max(maxMove, Math.abs(got[j] - raw[j]));
            }
            assertTrue(maxDiff < 1e-6, names[i] + ": average off the hand loop by " + maxDiff);
            assertTrue(maxMove > 1e-3, names[i] + ": the average should lag the trained weights, differs by only " + maxMove);
        }
    }

    @Test
    void startsAtTheTrainedValues() {
        Net trained = new Net(1, 4);
        Net averaged = new Net(2, 4);
        new ParameterAverage(trained, averaged, 0.999);
        for (var e : trained.namedParameters().entrySet())
            assertEquals(e.getValue().value(), averaged.namedParameters().get(e.getKey()).value(), e.getKey());
    }

    @Test
    void refusesMismatchedModulesAndDecays() {
        Net trained = new Net(1, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> new ParameterAverage(trained, new Net(2, 6), 0.9));
        assertTrue(e.getMessage().contains("'a.weight'") && e.getMessage().contains("[3, 6]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ParameterAverage(trained, new Net(2, 4).to(DataType.DOUBLE), 0.9));
        assertTrue(e.getMessage().contains("DOUBLE"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ParameterAverage(trained, new Net(2, 4), 1.0));
        assertTrue(e.getMessage().contains("[0, 1)") && e.getMessage().contains("1.0"), e.getMessage());
    }

    /** A linear layer and batch norm: parameters to average and running statistics to copy. */
    private static class NormNet extends Module {
        final Linear fc;
        final BatchNorm bn;

        NormNet(long seed, int width) {
            Rng rng = new Rng(seed);
            fc = register("fc", new Linear(3, width, rng));
            bn = register("bn", new BatchNorm(width));
        }
    }

    @Test
    void copiesBuffersWhileAveragingParameters() {
        NormNet trained = new NormNet(1, 4);
        NormNet averaged = new NormNet(2, 4);
        trained.bn.forward(trained.fc.forward(Tensor.constant(new Rng(3).normal(DataType.FLOAT, 2.0, 6, 3))));
        ParameterAverage ema = new ParameterAverage(trained, averaged, 0.9);
        assertEquals(trained.bn.runningMean(), averaged.bn.runningMean(), "the constructor copies buffers too");
        Adam opt = new Adam(trained.namedParameters(), 0.05);
        Rng rng = new Rng(4);
        for (int step = 0; step < 3; step++) {
            // A training step of the trained module moves its running statistics.
            INDArray before = trained.bn.runningVar().dup();
            Tensor y = trained.bn.forward(trained.fc.forward(Tensor.constant(rng.normal(DataType.FLOAT, 1.0 + step, 6, 3))));
            // A random weighting: the plain sum of a batch-normalised output does not depend on its input.
            y.mul(Tensor.constant(rng.normal(DataType.FLOAT, 1.0, 6, 4))).sum().backward();
            assertNotEquals(before, trained.bn.runningVar());
            opt.step();
            opt.zeroGrad();
            ema.update();
            // Copied, not averaged: the averaged module's statistics are the trained one's exactly.
            assertEquals(trained.bn.runningMean(), averaged.bn.runningMean(), "step " + step);
            assertEquals(trained.bn.runningVar(), averaged.bn.runningVar(), "step " + step);
        }
        assertNotEquals(trained.fc.weight().value(), averaged.fc.weight().value(), "parameters are averaged, not copied");
        // The averaged module's own arrays are written, not replaced by the trained module's.
        trained.bn.runningMean().addi(1);
        assertNotEquals(trained.bn.runningMean(), averaged.bn.runningMean());
    }

    @Test
    void refusesMismatchedBuffers() {
        NormNet trained = new NormNet(1, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> new ParameterAverage(trained, new NormNet(2, 4) {
            {
                registerBuffer("extra", org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, 2));
            }
        }, 0.9));
        assertTrue(e.getMessage().contains("buffers") && e.getMessage().contains("extra"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ParameterAverage(trained, new Module() {
            {
                register("fc", new Linear(3, 4, new Rng(1)));
                register("bn", new Module() {
                    {
                        register("weight", new Parameter(org.nd4j.linalg.factory.Nd4j.ones(DataType.FLOAT, 4), false));
                        register("bias", new Parameter(org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, 4), false));
                        registerBuffer("running_mean", org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, 5));
                        registerBuffer("running_var", org.nd4j.linalg.factory.Nd4j.ones(DataType.FLOAT, 4));
                    }
                });
            }
        }, 0.9));
        assertTrue(e.getMessage().contains("buffer 'bn.running_mean'") && e.getMessage().contains("[5]"), e.getMessage());
    }

    private static double[] toDoubles(Parameter p) {
        return p.value().reshape(-1).toDoubleVector();
    }
}
