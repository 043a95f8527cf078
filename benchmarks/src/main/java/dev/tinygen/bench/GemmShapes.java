package dev.tinygen.bench;

import java.util.Arrays;
import java.util.Locale;
import dev.tinygen.nn.Backend;
import dev.tinygen.nn.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The three products a linear layer costs in a training step, at given shapes, timed with {@code Nd4j.gemm} into
 * reused outputs as tinygen's ops run them: forward {@code y = x W}, the input gradient {@code dX = dY W^T} and the
 * weight gradient {@code dW = X^T dY}. {@code benchmarks/peers/gemm_peer.py} times the same three in PyTorch, so the
 * matrix-product floor of a step can be compared library against library.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.tinygen.bench.GemmShapes [MxKxN ...]} (default: the
 * five shapes of a cpuSmall GPT step, B T = 768 rows). Prints one line per shape (median microseconds of 300 timed
 * repetitions after 50 warm-up ones, and GFLOP/s), then the sum of all medians.
 *
 * <p>Shape: x (M, K), W (K, N), dY (M, N).
 */
public final class GemmShapes {
    static final String[] GPT_SHAPES = {"768x128x384", "768x128x128", "768x128x512", "768x512x128", "768x128x77"};

    private GemmShapes() {}

    public static void main(String[] args) {
        String[] shapes = args.length == 0 ? GPT_SHAPES : args;
        System.out.println(Backend.describe());
        double total = 0;
        for (String shape : shapes) {
            long[] mkn = GemmBench.parse(shape);
            double[] us = time(mkn[0], mkn[1], mkn[2]);
            double flops = 2.0 * mkn[0] * mkn[1] * mkn[2];
            total += us[0] + us[1] + us[2];
            System.out.printf(Locale.ROOT, "%s  fwd %.1f us (%.0f GFLOP/s)  dX %.1f us (%.0f)  dW %.1f us (%.0f)%n", shape,
                    us[0], flops / us[0] / 1e3, us[1], flops / us[1] / 1e3, us[2], flops / us[2] / 1e3);
        }
        System.out.printf(Locale.ROOT, "sum of the medians: %.1f us%n", total);
    }

    /** Median microseconds of {forward, input gradient, weight gradient}. */
    static double[] time(long m, long k, long n) {
        Rng rng = new Rng(1);
        INDArray x = rng.normal(DataType.FLOAT, 1, m, k);                                  // (M, K)
        INDArray w = rng.normal(DataType.FLOAT, 1, k, n);                                  // (K, N)
        INDArray dy = rng.normal(DataType.FLOAT, 1, m, n);                                 // (M, N)
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, new long[] {m, n}, 'c');
        INDArray dx = Nd4j.createUninitialized(DataType.FLOAT, new long[] {m, k}, 'c');
        INDArray dw = Nd4j.createUninitialized(DataType.FLOAT, new long[] {k, n}, 'c');
        double[] medians = new double[3];
        for (int kind = 0; kind < 3; kind++) {
            double[] us = new double[300];
            for (int r = -50; r < us.length; r++) {
                long t0 = System.nanoTime();
                switch (kind) {
                    case 0 -> Nd4j.gemm(x, w, y, false, false, 1, 0);                      // (M, K) x (K, N)
                    case 1 -> Nd4j.gemm(dy, w, dx, false, true, 1, 0);                     // (M, N) x (K, N)^T
                    default -> Nd4j.gemm(x, dy, dw, true, false, 1, 0);                    // (M, K)^T x (M, N)
                }
                long t1 = System.nanoTime();
                if (r >= 0) us[r] = (t1 - t0) / 1e3;
            }
            Arrays.sort(us);
            medians[kind] = us[us.length / 2];
        }
        return medians;
    }
}
