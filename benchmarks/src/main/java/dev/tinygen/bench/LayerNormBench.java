package dev.tinygen.bench;

import java.util.concurrent.TimeUnit;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.ops.LayerNorm;
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
 * Layer norm forward and backward: the fused Java kernel ({@link LayerNorm}) against mean, subtract, square, mean,
 * add eps, square root, divide, gain and bias as seven plain ops.
 *
 * <p>Shape: x (B, T, C) = (12, 64, 128), gain and bias (C) -> (B, T, C).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchEnv.HEAP, BenchEnv.OFF_HEAP})
public class LayerNormBench {
    static final int B = 12, T = 64, C = 128;
    static final double EPS = LayerNorm.DEFAULT_EPS;

    private Tensor x;
    private Tensor gain;
    private Tensor bias;
    private INDArray seed;

    @Setup(Level.Trial)
    public void setUp() {
        BenchEnv.announce();
        Rng rng = new Rng(3);
        x = Tensor.variable(rng.normal(DataType.FLOAT, 1, B, T, C));                    // (B, T, C)
        gain = Tensor.variable(rng.normal(DataType.FLOAT, 1, C));
        bias = Tensor.variable(rng.normal(DataType.FLOAT, 1, C));
        seed = rng.normal(DataType.FLOAT, 1, B, T, C);
    }

    @Benchmark
    public void fused(Blackhole bh) {
        bh.consume(FwdBwd.run("bench-layernorm", () -> LayerNorm.apply(x, gain, bias, EPS), seed, x, gain, bias));
    }

    @Benchmark
    public void composed(Blackhole bh) {
        bh.consume(FwdBwd.run("bench-layernorm", () -> {
            Tensor xc = x.sub(x.mean(true, -1));                                         // (B, T, C)
            Tensor var = xc.mul(xc).mean(true, -1);                                      // (B, T, 1)
            return xc.div(var.scale(1, EPS).sqrt()).mul(gain).add(bias);                 // (B, T, C)
        }, seed, x, gain, bias));
    }
}
