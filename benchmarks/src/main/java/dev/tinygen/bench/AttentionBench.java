package dev.tinygen.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.ops.CausalSelfAttention;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Causal self-attention forward and backward at the cpuSmall recipe's shapes: the fused op
 * ({@link CausalSelfAttention}: views into the packed qkv buffer, rank-4 batched matmuls, libnd4j softmax) against
 * the same computation written with plain ops (split, reshape, permute, matmul, scale, masked fill, softmax), as
 * FusedEqualsCompositionTest checks they agree.
 *
 * <p>Shape: qkv (B, T, 3C) = (12, 64, 384), nh = 4 -> y (B, T, C) = (12, 64, 128).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchEnv.HEAP, BenchEnv.OFF_HEAP})
public class AttentionBench {
    static final int B = 12, T = 64, C = 128, NH = 4, HS = C / NH;

    private Tensor qkv;
    private INDArray seed;
    private INDArray mask;

    @Setup(Level.Trial)
    public void setUp() {
        BenchEnv.announce();
        Rng rng = new Rng(2);
        qkv = Tensor.variable(rng.normal(DataType.FLOAT, 1, B, T, 3 * C));              // (B, T, 3C)
        seed = rng.normal(DataType.FLOAT, 1, B, T, C);                                  // (B, T, C)
        mask = Nd4j.zeros(DataType.BOOL, T, T);
        for (int i = 0; i < T; i++) for (int j = i + 1; j < T; j++) mask.putScalar(new long[] {i, j}, 1);
    }

    @Benchmark
    public void fused(Blackhole bh) {
        bh.consume(FwdBwd.run("bench-attention", () -> CausalSelfAttention.apply(qkv, NH), seed, qkv));
    }

    @Benchmark
    public void composed(Blackhole bh) {
        bh.consume(FwdBwd.run("bench-attention", this::composedForward, seed, qkv));
    }

    private Tensor composedForward() {
        List<Tensor> parts = qkv.split(2, C, C, C);
        Tensor q = parts.get(0).reshape(B, T, NH, HS).permute(0, 2, 1, 3);               // (B, nh, T, hs)
        Tensor k = parts.get(1).reshape(B, T, NH, HS).permute(0, 2, 1, 3);               // (B, nh, T, hs)
        Tensor v = parts.get(2).reshape(B, T, NH, HS).permute(0, 2, 1, 3);               // (B, nh, T, hs)
        Tensor s = q.matmul(k, false, true).scale(1 / Math.sqrt(HS), 0);                 // (B, nh, T, T)
        Tensor p = s.maskedFill(mask, Double.NEGATIVE_INFINITY).softmax(-1);             // (B, nh, T, T)
        return p.matmul(v).permute(0, 2, 1, 3).reshape(B, T, C);                         // (B, T, C)
    }
}
