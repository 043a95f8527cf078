package dev.tinygen.bench;

import java.util.concurrent.TimeUnit;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.ops.Gelu;
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
 * GELU (GPT-2's tanh approximation) forward and backward at the MLP's hidden width: the fused op ({@link Gelu#tanh},
 * a Java pass plus a vectorised sigmoid) against {@code x * (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2} as
 * plain ops.
 *
 * <p>Shape: x (B, T, 4C) = (12, 64, 512) -> the same.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchEnv.HEAP, BenchEnv.OFF_HEAP})
public class GeluBench {
    static final int B = 12, T = 64, H = 512;
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    private Tensor x;
    private INDArray seed;

    @Setup(Level.Trial)
    public void setUp() {
        BenchEnv.announce();
        Rng rng = new Rng(4);
        x = Tensor.variable(rng.normal(DataType.FLOAT, 1, B, T, H));                    // (B, T, 4C)
        seed = rng.normal(DataType.FLOAT, 1, B, T, H);
    }

    @Benchmark
    public void fused(Blackhole bh) {
        bh.consume(FwdBwd.run("bench-gelu", () -> Gelu.tanh(x), seed, x));
    }

    @Benchmark
    public void composed(Blackhole bh) {
        bh.consume(FwdBwd.run("bench-gelu", () -> {
            Tensor inner = x.add(x.pow(3).scale(0.044715, 0)).scale(SQRT_2_OVER_PI, 0);
            return x.mul(inner.tanh().scale(0.5, 0.5));
        }, seed, x));
    }
}
