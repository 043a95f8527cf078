package dev.tinygen.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Weight initialisers with PyTorch's formulas ({@code torch.nn.init}), drawing from an {@link Rng} so the same
 * seed gives the same weights.
 *
 * <p>{@code fanIn} and {@code fanOut} are given explicitly rather than read off the shape, because layouts differ:
 * a {@code Linear} weight here is {@code (in, out)} where PyTorch's is {@code (out, in)}. For a linear layer
 * {@code fanIn = in}, {@code fanOut = out}; for a convolution {@code fanIn = inChannels * kH * kW}.
 *
 * <table>
 *   <caption>Formulas</caption>
 *   <tr><th>method</th><th>distribution</th></tr>
 *   <tr><td>{@link #normal}</td><td>{@code N(0, std^2)}</td></tr>
 *   <tr><td>{@link #uniform}</td><td>{@code U(-bound, bound)}</td></tr>
 *   <tr><td>{@link #xavierUniform}</td><td>{@code U(-a, a)}, {@code a = gain * sqrt(6 / (fanIn + fanOut))}</td></tr>
 *   <tr><td>{@link #xavierNormal}</td><td>{@code N(0, std^2)}, {@code std = gain * sqrt(2 / (fanIn + fanOut))}</td></tr>
 *   <tr><td>{@link #kaimingUniform}</td><td>{@code U(-b, b)}, {@code b = gain * sqrt(3 / fanIn)}</td></tr>
 *   <tr><td>{@link #kaimingNormal}</td><td>{@code N(0, std^2)}, {@code std = gain / sqrt(fanIn)}</td></tr>
 * </table>
 *
 * Kaiming here is PyTorch's {@code mode='fan_in'}. PyTorch's {@code nn.Linear} default, {@code kaiming_uniform_}
 * with {@code a = sqrt(5)}, has gain {@code sqrt(2 / (1 + 5)) = sqrt(1/3)} and so bound {@code 1 / sqrt(fanIn)}.
 *
 * <p>Shape: any; each method returns an array of the {@code shape} it is given.
 */
public final class Init {
    private Init() {}

    /** Gains of {@code torch.nn.init.calculate_gain}: the factor that keeps activations' variance steady. */
    public enum Nonlinearity {
        LINEAR(1.0),
        SIGMOID(1.0),
        TANH(5.0 / 3.0),
        RELU(Math.sqrt(2.0)),
        /** PyTorch's default negative slope 0.01; use {@link Init#leakyReluGain(double)} for another slope. */
        LEAKY_RELU(Math.sqrt(2.0 / (1 + 0.01 * 0.01))),
        SELU(3.0 / 4.0);

        private final double gain;

        Nonlinearity(double gain) {
            this.gain = gain;
        }

        public double gain() {
            return gain;
        }
    }

    /** {@code sqrt(2 / (1 + slope^2))}, the gain for a leaky ReLU with the given negative slope. */
    public static double leakyReluGain(double negativeSlope) {
        return Math.sqrt(2.0 / (1 + negativeSlope * negativeSlope));
    }

    /** Values drawn from {@code N(0, std^2)}. */
    public static INDArray normal(Rng rng, DataType dtype, double std, long... shape) {
        if (!(std >= 0) || Double.isInfinite(std))
            throw new IllegalArgumentException("init normal: std must be finite and >= 0, got " + std);
        return rng.normal(dtype, std, shape);
    }

    /** Values drawn from {@code U(-bound, bound)}. */
    public static INDArray uniform(Rng rng, DataType dtype, double bound, long... shape) {
        if (!(bound >= 0) || Double.isInfinite(bound))
            throw new IllegalArgumentException("init uniform: bound must be finite and >= 0, got " + bound);
        return rng.uniform(dtype, -bound, bound, shape);
    }

    /** Glorot uniform with gain 1: {@code U(-a, a)}, {@code a = sqrt(6 / (fanIn + fanOut))}. */
    public static INDArray xavierUniform(Rng rng, DataType dtype, long fanIn, long fanOut, long... shape) {
        return xavierUniform(rng, dtype, 1.0, fanIn, fanOut, shape);
    }

    /** Glorot uniform: {@code U(-a, a)}, {@code a = gain * sqrt(6 / (fanIn + fanOut))}. */
    public static INDArray xavierUniform(Rng rng, DataType dtype, double gain, long fanIn, long fanOut, long... shape) {
        checkFans("xavierUniform", fanIn, fanOut);
        return uniform(rng, dtype, gain * Math.sqrt(6.0 / (fanIn + fanOut)), shape);
    }

    /** Glorot normal with gain 1: {@code N(0, std^2)}, {@code std = sqrt(2 / (fanIn + fanOut))}. */
    public static INDArray xavierNormal(Rng rng, DataType dtype, long fanIn, long fanOut, long... shape) {
        return xavierNormal(rng, dtype, 1.0, fanIn, fanOut, shape);
    }

    /** Glorot normal: {@code N(0, std^2)}, {@code std = gain * sqrt(2 / (fanIn + fanOut))}. */
    public static INDArray xavierNormal(Rng rng, DataType dtype, double gain, long fanIn, long fanOut, long... shape) {
        checkFans("xavierNormal", fanIn, fanOut);
        return normal(rng, dtype, gain * Math.sqrt(2.0 / (fanIn + fanOut)), shape);
    }

    /** He uniform: {@code U(-b, b)}, {@code b = gain * sqrt(3 / fanIn)}. */
    public static INDArray kaimingUniform(Rng rng, DataType dtype, long fanIn, double gain, long... shape) {
        checkFans("kaimingUniform", fanIn, 1);
        return uniform(rng, dtype, gain * Math.sqrt(3.0 / fanIn), shape);
    }

    /** He uniform with the gain of {@code nonlinearity}. */
    public static INDArray kaimingUniform(Rng rng, DataType dtype, long fanIn, Nonlinearity nonlinearity, long... shape) {
        return kaimingUniform(rng, dtype, fanIn, nonlinearity.gain(), shape);
    }

    /** He normal: {@code N(0, std^2)}, {@code std = gain / sqrt(fanIn)}. */
    public static INDArray kaimingNormal(Rng rng, DataType dtype, long fanIn, double gain, long... shape) {
        checkFans("kaimingNormal", fanIn, 1);
        return normal(rng, dtype, gain / Math.sqrt(fanIn), shape);
    }

    /** He normal with the gain of {@code nonlinearity}. */
    public static INDArray kaimingNormal(Rng rng, DataType dtype, long fanIn, Nonlinearity nonlinearity, long... shape) {
        return kaimingNormal(rng, dtype, fanIn, nonlinearity.gain(), shape);
    }

    public static INDArray zeros(DataType dtype, long... shape) {
        return Nd4j.zeros(dtype, shape);
    }

    public static INDArray ones(DataType dtype, long... shape) {
        return Nd4j.ones(dtype, shape);
    }

    private static void checkFans(String where, long fanIn, long fanOut) {
        if (fanIn <= 0 || fanOut <= 0)
            throw new IllegalArgumentException("init %s: fanIn and fanOut must be positive, got fanIn %d, fanOut %d"
                    .formatted(where, fanIn, fanOut));
    }
}
