package dev.tinygen.bench;

import java.util.concurrent.TimeUnit;
import dev.tinygen.nn.Rng;
import dev.tinygen.vaegan.gan.Gan;
import dev.tinygen.vaegan.gan.GanConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step of an unconditional GAN as {@code ./tinygen train-gan} runs it ({@link Gan#step}): noise, the
 * generator's forward, one discriminator pass over real and fake together, its backward and Adam step, then the
 * generator's loss through the discriminator, its backward and Adam step, all in one workspace. Random pixels: the
 * cost does not depend on the images. {@code mlp}: the dense recipe ({@link GanConfig#mlp}); {@code dcgan}: the
 * convolutional one ({@link GanConfig#dcgan}), same noise, batch and optimiser.
 *
 * <p>Shape: real (64, 784) in [0, 1], noise (64, 100) -> fake (64, 784); the discriminator sees (128, 784) -> (128, 1),
 * then (64, 784) -> (64, 1).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {BenchEnv.HEAP, BenchEnv.OFF_HEAP})
public class GanStepBench {
    private Gan mlp;
    private Gan dcgan;
    private INDArray real;

    @Setup(Level.Trial)
    public void setUp() {
        BenchEnv.announce();
        mlp = new Gan(GanConfig.mlp(1));
        dcgan = new Gan(GanConfig.dcgan(1));
        mlp.train();
        dcgan.train();
        real = new Rng(2).uniform(DataType.FLOAT, 0, 1, GanConfig.mlp(1).batch(), 784);      // (64, 784)
    }

    /** One D step and one G step of the MLP GAN; returns both losses' sum, so the step cannot be optimised away. */
    @Benchmark
    public double mlp() {
        Gan.Losses l = mlp.step(real, null);
        return l.discriminator() + l.generator();
    }

    /** The same for the DCGAN. */
    @Benchmark
    public double dcgan() {
        Gan.Losses l = dcgan.step(real, null);
        return l.discriminator() + l.generator();
    }
}
