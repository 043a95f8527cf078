package dev.tinygen.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one source of randomness: initialisation, dropout, shuffling and sampling all draw from an {@code Rng},
 * so the same seed gives the same numbers. SplitMix64: its whole state is one {@code long}, which checkpoints
 * save and restore with {@link #state()} and {@link #setState(long)}.
 */
public final class Rng {
    private long state;
    private double spareGaussian = Double.NaN;

    public Rng(long seed) {
        this.state = seed;
    }

    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1), 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("nextInt: bound must be positive, got " + bound);
        return (int) ((nextLong() >>> 33) % bound);
    }

    /** Standard normal, Box-Muller (pairs: every second call uses the spare). */
    public double nextGaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double u1;
        do {
            u1 = nextDouble();
        } while (u1 == 0.0);
        double u2 = nextDouble();
        double r = Math.sqrt(-2 * Math.log(u1));
        spareGaussian = r * Math.sin(2 * Math.PI * u2);
        return r * Math.cos(2 * Math.PI * u2);
    }

    /** A new generator seeded from this one, for an independent stream (e.g. one per data loader). */
    public Rng fork() {
        return new Rng(nextLong());
    }

    /** The generator's state; {@link #setState(long)} with it replays the same numbers. */
    public long state() {
        spareGaussian = Double.NaN;  // the spare is not part of the saved state
        return state;
    }

    public void setState(long s) {
        state = s;
        spareGaussian = Double.NaN;
    }

    /** An array of N(0, std^2) values. */
    public INDArray normal(DataType dtype, double std, long... shape) {
        int n = checkedLength(shape);
        if (dtype == DataType.FLOAT) {
            // The same numbers as the double path cast to float, without a second array and a cast (the VAE draws
            // its noise every step).
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = (float) (std * nextGaussian());
            return Nd4j.create(v, shape, 'c');
        }
        double[] v = new double[n];
        for (int i = 0; i < v.length; i++) v[i] = std * nextGaussian();
        return Nd4j.create(v, shape, DataType.DOUBLE).castTo(dtype);
    }

    /** An array of values uniform in [lo, hi). */
    public INDArray uniform(DataType dtype, double lo, double hi, long... shape) {
        double[] v = new double[checkedLength(shape)];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * nextDouble();
        return Nd4j.create(v, shape, DataType.DOUBLE).castTo(dtype);
    }

    /** Shuffles in place (Fisher-Yates). */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** 0..n-1 in random order. */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        shuffle(p);
        return p;
    }

    private static int checkedLength(long[] shape) {
        long n = 1;
        for (long s : shape) {
            if (s < 0) throw new IllegalArgumentException("negative size in shape " + java.util.Arrays.toString(shape));
            n *= s;
        }
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape too large: " + java.util.Arrays.toString(shape));
        return (int) n;
    }
}
