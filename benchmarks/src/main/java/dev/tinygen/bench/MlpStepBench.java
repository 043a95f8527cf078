package dev.tinygen.bench;

import java.util.concurrent.TimeUnit;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.Workspaces;
import dev.tinygen.nn.layers.Linear;
import dev.tinygen.nn.layers.ReLU;
import dev.tinygen.nn.layers.Sequential;
import dev.tinygen.nn.ops.CrossEntropy;
import dev.tinygen.nn.optim.AdamW;
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
 * One training step of the MNIST MLP ({@code ./tinygen train-mlp}'s network): forward, cross-entropy, backward,
 * AdamW, in a reused workspace. Random pixels: the cost does not depend on the images.
 *
 * <p>Shape: x (64, 784) -> 128 (ReLU) -> logits (64, 10).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchEnv.HEAP, BenchEnv.OFF_HEAP})
public class MlpStepBench {
    static final int BATCH = 64;

    private Sequential model;
    private AdamW optimizer;
    private Tensor x;
    private int[] labels;

    @Setup(Level.Trial)
    public void setUp() {
        BenchEnv.announce();
        Rng rng = new Rng(8);
        model = new Sequential(new Linear(784, 128, rng), new ReLU(), new Linear(128, 10, rng));
        optimizer = new AdamW(model.namedParameters(), 1e-3, 0.9, 0.999, 1e-8, 0.01);
        INDArray pixels = rng.uniform(DataType.FLOAT, 0, 1, BATCH, 784);                 // (64, 784)
        x = Tensor.constant(pixels);
        labels = new int[BATCH];
        for (int i = 0; i < BATCH; i++) labels[i] = rng.nextInt(10);
    }

    /** Returns the loss, so the step cannot be optimised away. */
    @Benchmark
    public double step() {
        double loss;
        try (MemoryWorkspace ignored = Workspaces.step("bench-mlp-train")) {
            Tensor l = CrossEntropy.apply(model.forward(x), labels);
            loss = l.item();
            l.backward();
            optimizer.step();
        }
        optimizer.zeroGrad();
        return loss;
    }
}
