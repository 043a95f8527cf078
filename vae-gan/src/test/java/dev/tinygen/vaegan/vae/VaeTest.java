package dev.tinygen.vaegan.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.tinygen.nn.GradCheck;
import dev.tinygen.nn.Parameter;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class VaeTest {
    /** A VAE small enough to check by finite differences: 12 pixels, 5 hidden, 3 latent. */
    private static Vae tiny(DataType t) {
        Vae v = new Vae(new VaeConfig(12, 5, 3), new Rng(7));
        v.to(t);
        return v;
    }

    private static INDArray images(Rng rng, DataType t, int n, int d) {
        return rng.uniform(t, 0, 1, n, d);
    }

    @Test
    void fusedLossPassesFiniteDifferenceCheckInFloat64() {
        Vae vae = tiny(DataType.DOUBLE);
        Rng rng = new Rng(3);
        INDArray x = images(rng, DataType.DOUBLE, 4, 12);
        INDArray eps = rng.normal(DataType.DOUBLE, 1.0, 4, 3);
        GradCheck.Result r = GradCheck.checkParameters(vae.parameters(), () -> vae.loss(x, eps).total(),
                GradCheck.EPS, GradCheck.TOLERANCE);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void composedLossPassesFiniteDifferenceCheckInFloat64() {
        Vae vae = tiny(DataType.DOUBLE);
        Rng rng = new Rng(4);
        INDArray x = images(rng, DataType.DOUBLE, 4, 12);
        INDArray eps = rng.normal(DataType.DOUBLE, 1.0, 4, 3);
        GradCheck.Result r = GradCheck.checkParameters(vae.parameters(), () -> vae.composedLoss(x, eps).total(),
                GradCheck.EPS, GradCheck.TOLERANCE);
        assertTrue(r.passed(), r.toString());
    }

    /** The fused op against the composition of plain ops, at the reference sizes, values and every gradient. */
    @Test
    void fusedLossEqualsComposedLossAtReferenceSizes() {
        for (DataType t : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            Vae vae = new Vae(VaeConfig.reference(), new Rng(11));
            vae.to(t);
            Rng rng = new Rng(12);
            INDArray x = images(rng, t, 37, 784);
            INDArray eps = rng.normal(t, 1.0, 37, 20);
            double tol = t == DataType.DOUBLE ? 1e-10 : 2e-4;

            Vae.Elbo ref = vae.composedLoss(x, eps);
            ref.total().backward();
            List<INDArray> refGrads = new ArrayList<>();
            for (Parameter p : vae.parameters()) refGrads.add(p.grad().dup());
            vae.zeroGrad();

            Vae.Elbo fused = vae.loss(x, eps);
            fused.total().backward();
            assertEquals(ref.total().item(), fused.total().item(), tol * Math.abs(ref.total().item()), t + " total");
            assertEquals(ref.reconstruction(), fused.reconstruction(), tol * ref.reconstruction(), t + " reconstruction");
            assertEquals(ref.kl(), fused.kl(), tol * Math.max(1, ref.kl()), t + " kl");
            int i = 0;
            for (Map.Entry<String, Parameter> e : vae.namedParameters().entrySet()) {
                INDArray want = refGrads.get(i++).castTo(DataType.DOUBLE);
                INDArray got = e.getValue().grad().castTo(DataType.DOUBLE);
                double scale = want.norm2Number().doubleValue();
                double diff = want.sub(got).norm2Number().doubleValue();
                assertTrue(diff <= tol * 10 * Math.max(scale, 1e-6), "%s %s gradient: |diff| %.3e, |ref| %.3e"
                        .formatted(t, e.getKey(), diff, scale));
            }
        }
    }

    /** The series the fused BCE takes the logarithm by, against Math.log over its whole range [1/2, 1]. */
    @Test
    void logSeriesMatchesMathLogOnHalfToOne() {
        double worst = 0;
        for (int i = 0; i <= 100_000; i++) {
            float q = (float) (0.5 + 0.5 * i / 100_000.0);
            double want = Math.log(q);
            double got = FusedElbo.logHalfToOne(q);
            worst = Math.max(worst, Math.abs(got - want));
        }
        // log(1/2) = -0.69: float rounding of the result alone is ~4e-8; a truncated series would be off by far more.
        assertTrue(worst < 2e-7, "largest difference from Math.log " + worst);
        assertEquals(0.0, FusedElbo.logHalfToOne(1f), 0.0);
    }

    /** The bit-mask ReLU gradient keeps dy exactly where y > 0, edge values included, across several chunks. */
    @Test
    void reluGradientKeepsExactlyThePositiveOutputs() {
        float[] edge = {0f, -0f, Float.MIN_VALUE, 3f, -2f, Float.MAX_VALUE, Float.NEGATIVE_INFINITY, 1e-30f};
        int n = 5000;                                                                  // more than two chunks
        float[] y = new float[n], dy = new float[n];
        Rng rng = new Rng(8);
        double[] r = rng.normal(DataType.DOUBLE, 1.0, n).toDoubleVector();
        for (int i = 0; i < n; i++) {
            y[i] = i < edge.length ? edge[i] : (float) r[i];
            dy[i] = i + 1;
        }
        INDArray dyArr = org.nd4j.linalg.factory.Nd4j.create(dy, new long[] {50, 100}, 'c');
        FusedElbo.reluGrad(org.nd4j.linalg.factory.Nd4j.create(y, new long[] {50, 100}, 'c'), dyArr);
        float[] got = dyArr.reshape(-1).toFloatVector();
        for (int i = 0; i < n; i++) assertEquals(y[i] > 0 ? dy[i] : 0f, got[i], 0f, "element " + i + ", y = " + y[i]);
    }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Vae vae = tiny(DataType.DOUBLE);
        Rng rng = new Rng(5);
        INDArray x = images(rng, DataType.DOUBLE, 3, 12);
        INDArray eps = rng.normal(DataType.DOUBLE, 1.0, 3, 3);
        vae.loss(x, eps).total().backward();
        INDArray once = vae.parameters().get(0).grad().dup();
        vae.loss(x, eps).total().backward();
        INDArray twice = vae.parameters().get(0).grad();
        assertEquals(0, once.mul(2).sub(twice).norm2Number().doubleValue(), 1e-12);
    }

    @Test
    void shapesOfEncodingSamplesAndInterpolation() {
        Vae vae = new Vae(VaeConfig.reference(), new Rng(1));
        Rng rng = new Rng(2);
        INDArray x = images(rng, DataType.FLOAT, 6, 784);
        Vae.Encoded q = vae.encode(Tensor.constant(x));
        assertArrayEquals(new long[] {6, 20}, q.mu().shape());
        assertArrayEquals(new long[] {6, 20}, q.logvar().shape());
        assertArrayEquals(new long[] {6, 20}, vae.latentMeans(x.reshape(6, 1, 28, 28)).shape());
        INDArray s = vae.sample(9, rng);
        assertArrayEquals(new long[] {9, 784}, s.shape());
        assertTrue(s.minNumber().doubleValue() >= 0 && s.maxNumber().doubleValue() <= 1, "samples are probabilities");
        INDArray strip = vae.interpolate(x.getRow(0), x.getRow(1), 8);
        assertArrayEquals(new long[] {8, 784}, strip.shape());
        // the ends of the line decode the two images' latent means
        INDArray ends = vae.decodeMean(vae.latentMeans(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2),
                org.nd4j.linalg.indexing.NDArrayIndex.all())));
        assertEquals(0, ends.getRow(0).sub(strip.getRow(0)).amaxNumber().doubleValue(), 1e-6);
        assertEquals(0, ends.getRow(1).sub(strip.getRow(7)).amaxNumber().doubleValue(), 1e-6);
    }

    /** The per-image anomaly score is the per-image negative ELBO: with the same draws it sums to the batch loss. */
    @Test
    void negativeElboPerImageSumsToTheBatchLoss() {
        Vae vae = tiny(DataType.DOUBLE);
        INDArray x = images(new Rng(8), DataType.DOUBLE, 5, 12);
        double[] scores = vae.negativeElbo(x, 1, new Rng(9));
        double sum = 0;
        for (double s : scores) sum += s;
        assertEquals(vae.loss(x, new Rng(9)).total().item(), sum, 1e-9 * Math.abs(sum));
    }

    @Test
    void sameSeedSameLossesOnRandomImages() {
        INDArray x = images(new Rng(1), DataType.FLOAT, 300, 784);
        VaeTrainer.Options o = new VaeTrainer.Options(2, 64, 1e-3, 5);
        VaeTrainer.Result a = VaeTrainer.train(new Vae(VaeConfig.reference(), new Rng(3)), x, x, o, null);
        VaeTrainer.Result b = VaeTrainer.train(new Vae(VaeConfig.reference(), new Rng(3)), x, x, o, null);
        assertArrayEquals(a.trainLoss(), b.trainLoss());
        assertArrayEquals(a.testLoss(), b.testLoss());
        VaeTrainer.Result c = VaeTrainer.train(new Vae(VaeConfig.reference(), new Rng(4)), x, x, o, null);
        assertTrue(a.trainLoss()[0] != c.trainLoss()[0], "another init seed gives other losses");
    }

    @Test
    void badInputsAreRefusedWithTheValues() {
        Vae vae = new Vae(VaeConfig.reference(), new Rng(1));
        Rng rng = new Rng(2);
        var e = assertThrows(IllegalArgumentException.class, () -> vae.loss(Nd4j.rand(DataType.FLOAT, 4, 100), rng));
        assertTrue(e.getMessage().contains("784") && e.getMessage().contains("[4, 100]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> vae.loss(Nd4j.create(DataType.FLOAT, 0, 784), rng));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> vae.loss(Nd4j.rand(DataType.FLOAT, 4, 784),
                Nd4j.rand(DataType.FLOAT, 4, 19)));
        assertTrue(e.getMessage().contains("(4, 20)") && e.getMessage().contains("[4, 19]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new VaeConfig(784, 400, 0));
        assertTrue(e.getMessage().contains("latent size must be positive, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> vae.sample(0, rng));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> vae.interpolate(Nd4j.rand(DataType.FLOAT, 784),
                Nd4j.rand(DataType.FLOAT, 784), 1));
        assertTrue(e.getMessage().contains("got 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new VaeTrainer.Options(0, 128, 1e-3, 1));
        assertTrue(e.getMessage().contains("epochs must be positive, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> VaeTrainer.train(vae, Nd4j.create(DataType.FLOAT, 0, 784),
                null, VaeTrainer.Options.reference(1), null));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }
}
