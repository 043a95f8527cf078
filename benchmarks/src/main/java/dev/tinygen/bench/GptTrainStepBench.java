package dev.tinygen.bench;

import java.util.concurrent.TimeUnit;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.Workspaces;
import dev.tinygen.nn.optim.AdamW;
import dev.tinygen.transformer.Gpt;
import dev.tinygen.transformer.GptConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
 * One training step of the main job's recipe, as GptTrainer runs it: forward and loss, backward, gradient clipping
 * at 1.0, an AdamW step, all in one reused workspace, then zeroing the gradients. The batch is fixed: a step's cost
 * does not depend on which tokens it reads.
 *
 * <p>Shape: ids and targets (B, T) = (12, 64), cpuSmall (4 layers, 4 heads, C 128), V = 77 (dickens.txt's
 * characters) -> a scalar loss; 768 tokens per step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {BenchEnv.HEAP, BenchEnv.OFF_HEAP})
public class GptTrainStepBench {
    static final int B = 12, V = 77;

    private AdamW optimizer;
    private Gpt model;
    private INDArray ids;
    private INDArray targets;

    @Setup(Level.Trial)
    public void setUp() {
        BenchEnv.announce();
        GptConfig cfg = GptConfig.cpuSmall(V);
        model = new Gpt(cfg, new Rng(1337));
        model.to(DataType.FLOAT);
        model.train();
        optimizer = new AdamW(model.namedParameters(), 1e-3, 0.9, 0.99, 1e-8, 0.1);
        Rng rng = new Rng(6);
        int t = cfg.blockSize();
        int[][] x = new int[B][t], y = new int[B][t];
        for (int i = 0; i < B; i++)
            for (int j = 0; j < t; j++) {
                x[i][j] = rng.nextInt(V);
                y[i][j] = rng.nextInt(V);
            }
        ids = Nd4j.createFromArray(x);                                                   // (B, T)
        targets = Nd4j.createFromArray(y);                                               // (B, T)
    }

    /** Returns the loss, so the step cannot be optimised away. */
    @Benchmark
    public double step() {
        double loss;
        try (MemoryWorkspace ignored = Workspaces.step("bench-gpt-train")) {
            Tensor l = model.loss(ids, targets);
            loss = l.item();
            l.backward();
            optimizer.clipGradNorm(1.0);
            optimizer.step();
        }
        optimizer.zeroGrad();
        return loss;
    }
}
