package dev.tinygen.nn.ops;

import java.util.Arrays;
import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix product {@code op(a) op(b)}, where {@code op} transposes the last two dimensions when its flag is set.
 *
 * <p>Shape: 2-D {@code (M, K) x (K, N) -> (M, N)}; batched rank 3 or 4 {@code (..., M, K) x (..., K, N) -> (..., M, N)}
 * with equal leading dimensions; or a rank 3/4 {@code a} times a 2-D {@code b}, computed as one 2-D gemm on
 * {@code a} flattened to {@code (prod(...) * M, K)} (as a {@code Linear} layer on {@code (B, T, C)} needs).
 * Results are computed by {@code Nd4j.gemm} / {@code Nd4j.matmul} into freshly allocated outputs; no allocating
 * {@code mmul} on row-major arrays (a third of the speed, ND4J-NOTES.md).
 */
public final class MatMul extends Op {
    private Tensor a;
    private Tensor b;
    private boolean ta;
    private boolean tb;

    public static Tensor apply(Tensor a, Tensor b) {
        return apply(a, b, false, false);
    }

    public static Tensor apply(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        return new MatMul().forward(a, b, transposeA, transposeB);
    }

    private Tensor forward(Tensor a, Tensor b, boolean ta, boolean tb) {
        Checks.sameType("matmul", a, b);
        Checks.rank("matmul", a, 2, 3, 4);
        Checks.rank("matmul", b, 2, 3, 4);
        this.a = a;
        this.b = b;
        this.ta = ta;
        this.tb = tb;
        long k1 = a.size(ta ? a.rank() - 2 : a.rank() - 1);
        long k2 = b.size(tb ? b.rank() - 1 : b.rank() - 2);
        if (k1 != k2)
            throw new IllegalArgumentException("matmul: inner dimensions differ: %s%s x %s%s (%d vs %d)".formatted(
                    Arrays.toString(a.shape()), ta ? "^T" : "", Arrays.toString(b.shape()), tb ? "^T" : "", k1, k2));
        if (b.rank() == 2 && a.rank() > 2 && ta)
            throw new IllegalArgumentException("matmul: a transposed rank-%d operand times a 2-D one is not supported, got %s^T x %s"
                    .formatted(a.rank(), Arrays.toString(a.shape()), Arrays.toString(b.shape())));
        if (b.rank() != 2 && a.rank() != b.rank())
            throw new IllegalArgumentException("matmul: batched operands need the same rank, got %s and %s"
                    .formatted(Arrays.toString(a.shape()), Arrays.toString(b.shape())));
        if (a.rank() == b.rank() && a.rank() > 2) {
            for (int i = 0; i < a.rank() - 2; i++)
                if (a.size(i) != b.size(i))
                    throw new IllegalArgumentException("matmul: batch dimensions differ: %s vs %s"
                            .formatted(Arrays.toString(a.shape()), Arrays.toString(b.shape())));
        }
        return output(product(a.value(), b.value(), ta, tb), a, b);
    }

    /** {@code op(x) op(y)} into a new array; x may be rank 3/4 against a 2-D y (then flattened, untransposed). */
    static INDArray product(INDArray x, INDArray y, boolean tx, boolean ty) {
        if (y.rank() == 2 && x.rank() > 2) {
            long[] xs = x.shape();
            INDArray x2 = x.reshape('c', -1, xs[xs.length - 1]);                       // (prod(...) * M, K)
            INDArray out2 = gemm(x2, y, false, ty);                                    // (prod(...) * M, N)
            long[] os = xs.clone();
            os[os.length - 1] = ty ? y.size(0) : y.size(1);
            return out2.reshape('c', os);                                              // (..., M, N)
        }
        if (x.rank() == 2) return gemm(x, y, tx, ty);
        long[] os = x.shape().clone();
        int r = os.length;
        os[r - 2] = tx ? x.size(r - 1) : x.size(r - 2);
        os[r - 1] = ty ? y.size(r - 2) : y.size(r - 1);
        INDArray out = Nd4j.createUninitialized(x.dataType(), os);
        Nd4j.matmul(x, y, out, tx, ty, false);                                         // (..., M, N)
        return out;
    }

    private static INDArray gemm(INDArray x, INDArray y, boolean tx, boolean ty) {
        long m = tx ? x.size(1) : x.size(0);
        long n = ty ? y.size(0) : y.size(1);
        INDArray out = Nd4j.createUninitialized(x.dataType(), new long[] {m, n}, 'c');
        Nd4j.gemm(x, y, out, tx, ty, 1.0, 0.0);                                         // (M, N)
        return out;
    }

    @Override
    protected void backward(INDArray dc) {
        INDArray av = a.value();
        INDArray bv = b.value();
        if (bv.rank() == 2 && av.rank() > 2) {
            INDArray a2 = av.reshape('c', -1, av.size(-1));                               // (R, K)
            INDArray dc2 = dc.reshape('c', -1, dc.size(-1));                              // (R, N)
            if (needsGrad(a)) accumulate(a, gemm(dc2, bv, false, !tb).reshape('c', av.shape()));
            if (needsGrad(b)) accumulate(b, tb ? gemm(dc2, a2, true, false) : gemm(a2, dc2, true, false));
            return;
        }
        if (needsGrad(a)) accumulate(a, ta ? product(bv, dc, tb, true) : product(dc, bv, false, !tb));
        if (needsGrad(b)) accumulate(b, tb ? product(dc, av, true, ta) : product(av, dc, !ta, false));
    }
}
