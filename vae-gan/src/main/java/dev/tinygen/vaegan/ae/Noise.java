package dev.tinygen.vaegan.ae;

import dev.tinygen.nn.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A corruption of clean images in [0, 1], for a denoising autoencoder: the noisy image goes in, the clean one is the
 * target. Every draw comes from the caller's {@link Rng}, so the same seed corrupts the same pixels.
 */
public sealed interface Noise {
    /** A new array: {@code clean} {@code (N, D)} corrupted; {@code clean} is not modified. */
    INDArray apply(INDArray clean, Rng rng);

    /** A short name for logs and file names. */
    String name();

    /** Adds {@code N(0, std^2)} to every pixel, then clips to [0, 1]. */
    static Noise gaussian(double std) {
        return new Gaussian(std);
    }

    /** Sets each pixel, with probability {@code fraction}, to 0 or 1 (equally likely). */
    static Noise saltAndPepper(double fraction) {
        return new SaltAndPepper(fraction);
    }

    /** Parses {@code gaussian:0.5} or {@code salt-pepper:0.2}. */
    static Noise parse(String spec) {
        String[] p = spec.split(":", 2);
        if (p.length != 2) throw new IllegalArgumentException("noise: expected gaussian:STD or salt-pepper:FRACTION, got '" + spec + "'");
        double v;
        try {
            v = Double.parseDouble(p[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("noise: '" + p[1] + "' in '" + spec + "' is not a number");
        }
        return switch (p[0]) {
            case "gaussian" -> gaussian(v);
            case "salt-pepper" -> saltAndPepper(v);
            default -> throw new IllegalArgumentException("noise: expected gaussian or salt-pepper, got '" + p[0] + "'");
        };
    }

    /** Additive Gaussian noise, clipped. */
    record Gaussian(double std) implements Noise {
        public Gaussian {
            if (!(std > 0) || Double.isInfinite(std))
                throw new IllegalArgumentException("gaussian noise: std must be finite and > 0, got " + std);
        }

        @Override
        public INDArray apply(INDArray clean, Rng rng) {
            double[] v = pixels(clean);
            for (int i = 0; i < v.length; i++) v[i] = Math.max(0, Math.min(1, v[i] + std * rng.nextGaussian()));
            return Nd4j.create(v, clean.shape(), DataType.DOUBLE).castTo(clean.dataType());
        }

        @Override
        public String name() {
            return "gaussian-" + std;
        }
    }

    /** Impulse noise: random pixels forced to black or white. */
    record SaltAndPepper(double fraction) implements Noise {
        public SaltAndPepper {
            if (!(fraction > 0 && fraction <= 1))
                throw new IllegalArgumentException("salt-and-pepper noise: fraction must be in (0, 1], got " + fraction);
        }

        @Override
        public INDArray apply(INDArray clean, Rng rng) {
            double[] v = pixels(clean);
            for (int i = 0; i < v.length; i++) {
                double u = rng.nextDouble();
                if (u < fraction) v[i] = u < fraction / 2 ? 0.0 : 1.0;
            }
            return Nd4j.create(v, clean.shape(), DataType.DOUBLE).castTo(clean.dataType());
        }

        @Override
        public String name() {
            return "salt-pepper-" + fraction;
        }
    }

    private static double[] pixels(INDArray clean) {
        if (clean == null || clean.length() == 0) throw new IllegalArgumentException("noise: expected images, got none");
        return clean.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }
}
