package dev.tinygen.bench;

import java.util.Locale;
import dev.tinygen.nn.Backend;
import dev.tinygen.nn.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The machine's measured sgemm peak, the denominator of model FLOPs utilisation: a quick loop (no JMH) of
 * {@code Nd4j.gemm} on 1024 x 1024 float32 matrices into a reused output, 2 N^3 FLOPs each.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.tinygen.bench.GemmPeak [--n 1024] [--seconds 3]}.
 * Prints the backend line, then one JSON line: {@code {"sgemm_n":1024,"gflops_best":..,"gflops_median":..,"reps":..}}.
 * The best repetition is the peak (a shared machine only ever slows a repetition down); the median shows the spread.
 */
public final class GemmPeak {
    private GemmPeak() {}

    public static void main(String[] args) {
        int n = 1024;
        double seconds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--n" -> n = Integer.parseInt(value(args, ++i, "--n"));
                case "--seconds" -> seconds = Double.parseDouble(value(args, ++i, "--seconds"));
                default -> throw new IllegalArgumentException("GemmPeak: unknown option '" + args[i] + "', expected --n N or --seconds S");
            }
        }
        if (n < 16) throw new IllegalArgumentException("GemmPeak: --n must be at least 16, got " + n);
        System.out.println(Backend.describe());
        double[] r = measure(n, seconds);
        System.out.printf(Locale.ROOT, "{\"sgemm_n\":%d,\"gflops_best\":%.1f,\"gflops_median\":%.1f,\"reps\":%d}%n",
                n, r[0], r[1], (int) r[2]);
    }

    /** {best GFLOP/s, median GFLOP/s, repetitions} of an n x n x n sgemm, timed for about {@code seconds}. */
    static double[] measure(int n, double seconds) {
        Rng rng = new Rng(9);
        INDArray a = rng.normal(DataType.FLOAT, 1, n, n);                                // (N, N)
        INDArray b = rng.normal(DataType.FLOAT, 1, n, n);                                // (N, N)
        INDArray c = Nd4j.createUninitialized(DataType.FLOAT, new long[] {n, n}, 'c');  // (N, N)
        for (int i = 0; i < 3; i++) Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);          // warm caches and threads
        double flops = 2.0 * n * n * n;
        java.util.List<Double> rates = new java.util.ArrayList<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end || rates.size() < 5) {
            long t0 = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);                                  // (N, N)
            rates.add(flops / (System.nanoTime() - t0));                                  // FLOP/ns = GFLOP/s
        }
        double[] rs = rates.stream().mapToDouble(Double::doubleValue).toArray();
        return new double[] {java.util.Arrays.stream(rs).max().orElseThrow(), Stats.median(rs), rs.length};
    }

    static String value(String[] args, int i, String flag) {
        if (i >= args.length) throw new IllegalArgumentException(flag + " needs a value");
        return args[i];
    }
}
