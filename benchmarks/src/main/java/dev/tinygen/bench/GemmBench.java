package dev.tinygen.bench;

import java.util.concurrent.TimeUnit;
import dev.tinygen.nn.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Single-precision matrix products at the shapes a cpuSmall GPT step runs (B T = 12 * 64 = 768 rows, C = 128):
 * {@code Nd4j.gemm} into a reused output, as tinygen's ops do, against {@code mmul}, which allocates its result
 * (ND4J-NOTES.md measured it at a third of the speed or less on row-major arrays).
 *
 * <p>Shape: a (M, K) x b (K, N) -> (M, N).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchEnv.HEAP, BenchEnv.OFF_HEAP})
public class GemmBench {
    /** M x K x N: attn.c_attn, attn.c_proj, mlp.c_fc, mlp.c_proj, lm_head (V = 77). */
    @Param({"768x128x384", "768x128x128", "768x128x512", "768x512x128", "768x128x77"})
    public String shape;

    private INDArray a;
    private INDArray b;
    private INDArray out;

    @Setup(Level.Trial)
    public void setUp() {
        BenchEnv.announce();
        long[] mkn = parse(shape);
        Rng rng = new Rng(1);
        a = rng.normal(DataType.FLOAT, 1, mkn[0], mkn[1]);                               // (M, K)
        b = rng.normal(DataType.FLOAT, 1, mkn[1], mkn[2]);                               // (K, N)
        out = Nd4j.createUninitialized(DataType.FLOAT, new long[] {mkn[0], mkn[2]}, 'c'); // (M, N)
    }

    @Benchmark
    public void gemmIntoReused(Blackhole bh) {
        Nd4j.gemm(a, b, out, false, false, 1.0, 0.0);                                    // (M, N)
        bh.consume(out);
    }

    @Benchmark
    public void mmulAllocating(Blackhole bh) {
        bh.consume(a.mmul(b));                                                            // (M, N)
    }

    /** "768x128x384" -> {768, 128, 384}. */
    static long[] parse(String mkn) {
        if (mkn == null || !mkn.matches("[1-9][0-9]{0,8}x[1-9][0-9]{0,8}x[1-9][0-9]{0,8}"))
            throw new IllegalArgumentException("gemm shape: expected MxKxN of positive whole numbers, got '" + mkn + "'");
        String[] p = mkn.split("x");
        return new long[] {Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2])};
    }
}
