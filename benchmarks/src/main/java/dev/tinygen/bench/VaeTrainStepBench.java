package dev.tinygen.bench;

import java.util.concurrent.TimeUnit;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Workspaces;
import dev.tinygen.nn.optim.Adam;
import dev.tinygen.vaegan.vae.Vae;
import dev.tinygen.vaegan.vae.VaeConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
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
 * One training step of the reference VAE as {@code VaeTrainer} runs it ({@code ./tinygen train-vae}): draw
 * {@code eps}, forward and the fused negative ELBO, backward, Adam, in a reused workspace, then zeroing the
 * gradients. Random pixels: the cost does not depend on the images.
 *
 * <p>Shape: x (128, 784) -> 400 (ReLU) -> mu, logvar (128, 20) -> z (128, 20) -> 400 (ReLU) -> logits (128, 784)
 * -> a scalar.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchEnv.HEAP, BenchEnv.OFF_HEAP})
public class VaeTrainStepBench {
    static final int BATCH = 128;

    private Vae vae;
    private Adam optimizer;
    private Rng noise;
    private INDArray x;

    @Setup(Level.Trial)
    public void setUp() {
        BenchEnv.announce();
        vae = new Vae(VaeConfig.reference(), new Rng(1));
        vae.train();
        optimizer = new Adam(vae.namedParameters(), 1e-3);
        Rng rng = new Rng(2);
        x = rng.uniform(DataType.FLOAT, 0, 1, BATCH, 784);                               // (128, 784)
        noise = rng.fork();
    }

    /** Returns the loss, so the step cannot be optimised away. */
    @Benchmark
    public double step() {
        double loss;
        try (MemoryWorkspace ignored = Workspaces.step("bench-vae-train")) {
            Vae.Elbo l = vae.loss(x, noise);
            l.total().backward();
            optimizer.step();
            loss = l.total().item();
        }
        optimizer.zeroGrad();
        return loss;
    }
}
