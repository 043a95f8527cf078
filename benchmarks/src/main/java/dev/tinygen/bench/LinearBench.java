package dev.tinygen.bench;

import java.util.concurrent.TimeUnit;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.ops.LinearOp;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * An affine map forward and backward at the MLP's first layer: the fused {@link LinearOp} (gemm, in-place bias add,
 * bias gradient as a ones-row gemm) against {@code MatMul} then a broadcasting {@code Add}.
 *
 * <p>Shape: x (B, T, C) = (12, 64, 128), W (C, 4C), b (4C) -> y (B, T, 4C).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchEnv.HEAP, BenchEnv.OFF_HEAP})
public class LinearBench {
    static final int B = 12, T = 64, IN = 128, OUT = 512;

    private Tensor x;
    private Tensor w;
    private Tensor b;
    private INDArray seed;

    @Setup(Level.Trial)
    public void setUp() {
        BenchEnv.announce();
        Rng rng = new Rng(5);
        x = Tensor.variable(rng.normal(DataType.FLOAT, 1, B, T, IN));                   // (B, T, C)
        w = Tensor.variable(rng.normal(DataType.FLOAT, 0.02, IN, OUT));                 // (C, 4C)
        b = Tensor.variable(rng.normal(DataType.FLOAT, 0.02, OUT));                     // (4C)
        seed = rng.normal(DataType.FLOAT, 1, B, T, OUT);                                // (B, T, 4C)
    }

    @Benchmark
    public void fused(Blackhole bh) {
        bh.consume(FwdBwd.run("bench-linear", () -> LinearOp.apply(x, w, b), seed, x, w, b));
    }

    @Benchmark
    public void matMulThenAdd(Blackhole bh) {
        bh.consume(FwdBwd.run("bench-linear", () -> x.matmul(w).add(b), seed, x, w, b));
    }
}
