package dev.tinygen.nn.ops;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fused affine map {@code y = x W + b}: one gemm and an in-place bias add forward; backward three gemms, the bias
 * gradient among them as {@code 1^T dy} (ND4J-NOTES.md: a column sum by gemm against a ones row is 4-10x faster
 * than {@code sum} over dimension 0 or {@code biasadd_bp}).
 *
 * <p>Shape: x (N, in) or (B, T, in) (any leading dimensions), W (in, out), b (out) or null -> y (..., out).
 */
public final class LinearOp extends Op {
    private static final Map<String, INDArray> ONES = new ConcurrentHashMap<>();

    private Tensor x;
    private Tensor w;
    private Tensor b;
    private INDArray x2;   // (N, in), row-major

    public static Tensor apply(Tensor x, Tensor w, Tensor b) {
        return new LinearOp().forward(x, w, b);
    }

    private Tensor forward(Tensor x, Tensor w, Tensor b) {
        Checks.rank("linear", w, 2);
        long in = w.size(0), out = w.size(1);
        if (x.rank() < 1 || x.size(x.rank() - 1) != in)
            throw new IllegalArgumentException("linear: expected input (..., %d), got %s".formatted(in, Arrays.toString(x.shape())));
        Checks.sameType("linear", x, w);
        if (b != null) {
            Checks.sameType("linear", x, b);
            if (b.rank() != 1 || b.size(0) != out)
                throw new IllegalArgumentException("linear: expected bias (%d), got %s".formatted(out, Arrays.toString(b.shape())));
        }
        this.x = x;
        this.w = w;
        this.b = b;
        x2 = Checks.contiguous(x.value()).reshape('c', new long[] {-1, in});          // (N, in)
        INDArray y = Nd4j.createUninitialized(x.dtype(), new long[] {x2.size(0), out}, 'c');
        Nd4j.gemm(x2, w.value(), y, false, false, 1.0, 0.0);                           // (N, out)
        if (b != null)
            Nd4j.exec(DynamicCustomOp.builder("biasadd").addInputs(y, b.value()).addOutputs(y)
                    .addBooleanArguments(false).build());
        long[] os = x.shape().clone();
        os[os.length - 1] = out;
        INDArray result = y.reshape('c', os);                                           // (..., out)
        return b == null ? output(result, x, w) : output(result, x, w, b);
    }

    @Override
    protected void backward(INDArray dy) {
        long out = w.size(1);
        INDArray dy2 = Checks.contiguous(dy).reshape('c', new long[] {-1, out});        // (N, out)
        DataType dt = dy.dataType();
        if (needsGrad(x)) {
            INDArray dx = Nd4j.createUninitialized(dt, new long[] {dy2.size(0), w.size(0)}, 'c');
            Nd4j.gemm(dy2, w.value(), dx, false, true, 1.0, 0.0);                      // (N, in)
            accumulate(x, dx.reshape('c', x.shape()));
        }
        if (needsGrad(w)) {
            INDArray dw = Nd4j.createUninitialized(dt, new long[] {w.size(0), out}, 'c');
            Nd4j.gemm(x2, dy2, dw, true, false, 1.0, 0.0);                             // (in, out)
            accumulate(w, dw);
        }
        if (b != null && needsGrad(b)) {
            INDArray db = Nd4j.createUninitialized(dt, new long[] {1, out}, 'c');
            Nd4j.gemm(ones(dt, dy2.size(0)), dy2, db, false, false, 1.0, 0.0);         // (1, out)
            accumulate(b, db.reshape('c', new long[] {out}));
        }
    }

    /** A cached (1, n) row of ones, outside any workspace. */
    private static INDArray ones(DataType dt, long n) {
        return ONES.computeIfAbsent(dt + ":" + n, k -> {
            try (var ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                return Nd4j.ones(dt, 1, n);
            }
        });
    }
}
