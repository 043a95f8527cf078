package dev.tinygen.vaegan.ae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinygen.nn.GradCheck;
import dev.tinygen.nn.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AutoencoderTest {
    @Test
    void shapesAndCompressionRatio() {
        Autoencoder ae = new Autoencoder(AutoencoderConfig.mnist(32), new Rng(1));
        INDArray x = new Rng(2).uniform(DataType.FLOAT, 0, 1, 7, 784);
        assertArrayEquals(new long[] {7, 32}, ae.codes(x).shape());
        assertArrayEquals(new long[] {7, 32}, ae.codes(x.reshape(7, 1, 28, 28)).shape());
        INDArray r = ae.reconstruct(x);
        assertArrayEquals(new long[] {7, 784}, r.shape());
        assertTrue(r.minNumber().doubleValue() >= 0 && r.maxNumber().doubleValue() <= 1);
        assertEquals(24.5, AutoencoderConfig.mnist(32).compressionRatio(), 0);
        assertEquals(392.0, AutoencoderConfig.mnist(2).compressionRatio(), 0);
        assertEquals(0, ae.loss(x, x).rank(), "the loss is a scalar");
    }

    @Test
    void reconstructionErrorIsTheMeanSquaredDifferencePerImage() {
        Autoencoder ae = new Autoencoder(new AutoencoderConfig(9, 4, 2), new Rng(3));
        INDArray x = new Rng(4).uniform(DataType.FLOAT, 0, 1, 3, 9);
        INDArray r = ae.reconstruct(x);
        double[] e = ae.reconstructionErrors(x);
        for (int i = 0; i < 3; i++) {
            double s = 0;
            for (int j = 0; j < 9; j++) {
                double d = r.getDouble(i, j) - x.getDouble(i, j);
                s += d * d;
            }
            assertEquals(s / 9, e[i], 1e-6, "image " + i);
        }
    }

    @Test
    void lossGradientsPassFiniteDifferencesInFloat64() {
        Autoencoder ae = new Autoencoder(new AutoencoderConfig(10, 5, 3), new Rng(5));
        ae.to(DataType.DOUBLE);
        Rng rng = new Rng(6);
        INDArray clean = rng.uniform(DataType.DOUBLE, 0, 1, 4, 10);
        INDArray noisy = Noise.gaussian(0.3).apply(clean, rng);
        GradCheck.Result r = GradCheck.checkParameters(ae.parameters(), () -> ae.loss(noisy, clean),
                GradCheck.EPS, GradCheck.TOLERANCE);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void sameSeedSameLosses() {
        INDArray x = new Rng(1).uniform(DataType.FLOAT, 0, 1, 200, 784);
        AutoencoderTrainer.Options o = new AutoencoderTrainer.Options(2, 50, 1e-3, 9);
        double[] a = AutoencoderTrainer.train(new Autoencoder(AutoencoderConfig.mnist(16), new Rng(2)), x, Noise.gaussian(0.2), o, null).epochLoss();
        double[] b = AutoencoderTrainer.train(new Autoencoder(AutoencoderConfig.mnist(16), new Rng(2)), x, Noise.gaussian(0.2), o, null).epochLoss();
        assertArrayEquals(a, b);
        double[] c = AutoencoderTrainer.train(new Autoencoder(AutoencoderConfig.mnist(16), new Rng(2)), x, Noise.gaussian(0.2),
                new AutoencoderTrainer.Options(2, 50, 1e-3, 10), null).epochLoss();
        assertTrue(a[0] != c[0], "another noise and shuffle seed gives other losses");
    }

    @Test
    void noiseIsSeededAndHasTheStatedStrength() {
        INDArray gray = Nd4j.zeros(DataType.FLOAT, 100, 784).addi(0.5);
        INDArray g1 = Noise.gaussian(0.1).apply(gray, new Rng(1));
        assertEquals(g1, Noise.gaussian(0.1).apply(gray, new Rng(1)));
        assertEquals(0.5, gray.getDouble(0, 0), 0, "the clean images are not modified");
        INDArray d = g1.sub(gray);
        assertEquals(0.1, d.stdNumber().doubleValue(), 0.002);               // 78,400 draws, no clipping at 5 sigma
        assertEquals(0.0, d.meanNumber().doubleValue(), 0.002);
        INDArray sp = Noise.saltAndPepper(0.2).apply(gray, new Rng(2));
        long white = sp.eq(1.0).castTo(DataType.INT32).sumNumber().longValue();
        long black = sp.eq(0.0).castTo(DataType.INT32).sumNumber().longValue();
        assertEquals(0.1, white / 78400.0, 0.005);
        assertEquals(0.1, black / 78400.0, 0.005);
        INDArray clipped = Noise.gaussian(5).apply(gray, new Rng(3));
        assertTrue(clipped.minNumber().doubleValue() >= 0 && clipped.maxNumber().doubleValue() <= 1);
        assertEquals(Noise.saltAndPepper(0.3), Noise.parse("salt-pepper:0.3"));
        assertEquals(Noise.gaussian(0.5), Noise.parse("gaussian:0.5"));
    }

    @Test
    void badInputsAreRefusedWithTheValues() {
        var e = assertThrows(IllegalArgumentException.class, () -> AutoencoderConfig.mnist(0));
        assertTrue(e.getMessage().contains("code size must be positive, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AutoencoderConfig.mnist(784));
        assertTrue(e.getMessage().contains("(784) must be smaller than the image (784 pixels)"), e.getMessage());
        Autoencoder ae = new Autoencoder(AutoencoderConfig.mnist(8), new Rng(1));
        INDArray wrong = Nd4j.rand(DataType.FLOAT, 3, 100);
        e = assertThrows(IllegalArgumentException.class, () -> ae.loss(wrong, wrong));
        assertTrue(e.getMessage().contains("(N, 784)") && e.getMessage().contains("[3, 100]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ae.reconstruct(Nd4j.rand(DataType.FLOAT, 3, 1, 27, 27)));
        assertTrue(e.getMessage().contains("[3, 1, 27, 27]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AutoencoderTrainer.train(ae, Nd4j.create(DataType.FLOAT, 0, 784),
                null, AutoencoderTrainer.Options.defaults(1), null));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Noise.gaussian(0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Noise.saltAndPepper(1.5));
        assertTrue(e.getMessage().contains("got 1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Noise.parse("speckle:0.1"));
        assertTrue(e.getMessage().contains("'speckle'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AnomalyDetector(null));
        assertTrue(e.getMessage().contains("null"), e.getMessage());
    }
}
