package dev.tinygen.nn.reliability;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Plain row-major loops over {@code double[]}, the independent side of the op properties: no ND4J call computes
 * any value here, only index arithmetic.
 */
final class Reference {
    private Reference() {}

    /** A row-major array of doubles and its shape. */
    record Nd(double[] data, long[] shape) {
        int size() {
            return data.length;
        }
    }

    static Nd of(INDArray a) {
        INDArray c = a.castTo(DataType.DOUBLE).dup('c');
        return new Nd(c.length() == 0 ? new double[0] : c.data().asDouble(), a.shape().clone());
    }

    /** An ND4J array holding {@code x}; as a strided view (a permutation of a transposed copy) if {@code asView}. */
    static INDArray array(Nd x, boolean asView) {
        INDArray a = Nd4j.create(x.data().clone(), x.shape().clone(), DataType.DOUBLE);
        if (!asView || x.shape().length < 2) return a;
        int r = x.shape().length;
        int[] reverse = new int[r];
        for (int i = 0; i < r; i++) reverse[i] = r - 1 - i;
        // Lay the values out in reversed axis order, then permute back: same logical array, non-'c' strides.
        return a.permute(reverse).dup('c').permute(reverse);
    }

    static long count(long[] shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }

    static long[] strides(long[] shape) {
        long[] st = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = acc;
            acc *= shape[i];
        }
        return st;
    }

    /** The multi-index of flat position {@code flat} in a row-major array of {@code shape}. */
    static long[] unravel(long flat, long[] shape) {
        long[] idx = new long[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = flat % shape[i];
            flat /= shape[i];
        }
        return idx;
    }

    /** NumPy's broadcast shape, computed here without the library's {@code Broadcast} class. */
    static long[] broadcastShape(long[] a, long[] b) {
        int r = Math.max(a.length, b.length);
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long da = i < r - a.length ? 1 : a[i - (r - a.length)];
            long db = i < r - b.length ? 1 : b[i - (r - b.length)];
            out[i] = Math.max(da, db);
        }
        return out;
    }

    /** Flat position in {@code shape} of the output index {@code idx}, where {@code shape} broadcasts to idx's rank. */
    static int broadcastOffset(long[] idx, long[] shape) {
        int lead = idx.length - shape.length;
        long[] st = strides(shape);
        long off = 0;
        for (int i = 0; i < shape.length; i++) off += (shape[i] == 1 ? 0 : idx[lead + i]) * st[i];
        return (int) off;
    }

    interface Binary {
        double apply(double x, double y);
    }

    static Nd elementwise(Nd a, Nd b, Binary f) {
        long[] shape = broadcastShape(a.shape(), b.shape());
        double[] out = new double[(int) count(shape)];
        for (int i = 0; i < out.length; i++) {
            long[] idx = unravel(i, shape);
            out[i] = f.apply(a.data()[broadcastOffset(idx, a.shape())], b.data()[broadcastOffset(idx, b.shape())]);
        }
        return new Nd(out, shape);
    }

    /**
     * The gradient of {@code sum(f(a, b))} with respect to {@code a}: each element of {@code a} collects the
     * partial derivative at every output position it was broadcast to.
     */
    static Nd broadcastGradient(Nd a, Nd b, Binary dfda) {
        long[] shape = broadcastShape(a.shape(), b.shape());
        double[] g = new double[a.size()];
        for (int i = 0; i < count(shape); i++) {
            long[] idx = unravel(i, shape);
            int ia = broadcastOffset(idx, a.shape());
            g[ia] += dfda.apply(a.data()[ia], b.data()[broadcastOffset(idx, b.shape())]);
        }
        return new Nd(g, a.shape().clone());
    }

    /** Sum over {@code axes} (all when empty); the summed axes kept as 1 or dropped. */
    static Nd sum(Nd x, int[] axes, boolean keepDims) {
        int r = x.shape().length;
        boolean[] reduced = new boolean[r];
        if (axes.length == 0) Arrays.fill(reduced, true);
        for (int a : axes) reduced[a < 0 ? a + r : a] = true;
        long[] kept = x.shape().clone();
        for (int i = 0; i < r; i++) if (reduced[i]) kept[i] = 1;
        double[] out = new double[(int) count(kept)];
        long[] keptStrides = strides(kept);
        for (int i = 0; i < x.size(); i++) {
            long[] idx = unravel(i, x.shape());
            long off = 0;
            for (int d = 0; d < r; d++) if (!reduced[d]) off += idx[d] * keptStrides[d];
            out[(int) off] += x.data()[i];
        }
        if (keepDims) return new Nd(out, kept);
        return new Nd(out, Arrays.stream(range(r)).filter(d -> !reduced[d]).mapToLong(d -> x.shape()[d]).toArray());
    }

    /**
     * {@code op(a) op(b)} where op transposes the last two axes when its flag is set; batched over equal leading
     * axes, or a rank-3/4 {@code a} times a 2-D {@code b}.
     */
    static Nd matmul(Nd a, Nd b, boolean ta, boolean tb) {
        int ra = a.shape().length, rb = b.shape().length;
        long am = a.shape()[ra - 2], ak = a.shape()[ra - 1];
        long bk = b.shape()[rb - 2], bn = b.shape()[rb - 1];
        long m = ta ? ak : am, k = ta ? am : ak, n = tb ? bk : bn;
        long batch = count(Arrays.copyOf(a.shape(), ra - 2));
        long[] outShape = a.shape().clone();
        outShape[ra - 2] = m;
        outShape[ra - 1] = n;
        double[] out = new double[(int) (batch * m * n)];
        long aMat = am * ak, bMat = rb == 2 ? 0 : bk * bn;
        for (long p = 0; p < batch; p++) {
            for (long i = 0; i < m; i++) {
                for (long j = 0; j < n; j++) {
                    double s = 0;
                    for (long q = 0; q < k; q++) {
                        double x = a.data()[(int) (p * aMat + (ta ? q * ak + i : i * ak + q))];
                        double y = b.data()[(int) (p * bMat + (tb ? j * bn + q : q * bn + j))];
                        s += x * y;
                    }
                    out[(int) ((p * m + i) * n + j)] = s;
                }
            }
        }
        return new Nd(out, outShape);
    }

    /** Softmax along {@code axis}, with the maximum subtracted first. */
    static Nd softmax(Nd x, int axis) {
        long[] shape = x.shape();
        long len = shape[axis];
        long stride = strides(shape)[axis];
        double[] out = new double[x.size()];
        for (int i = 0; i < x.size(); i++) {
            long[] idx = unravel(i, shape);
            if (idx[axis] != 0) continue;
            double max = Double.NEGATIVE_INFINITY;
            for (long t = 0; t < len; t++) max = Math.max(max, x.data()[(int) (i + t * stride)]);
            double z = 0;
            for (long t = 0; t < len; t++) z += Math.exp(x.data()[(int) (i + t * stride)] - max);
            for (long t = 0; t < len; t++) out[(int) (i + t * stride)] = Math.exp(x.data()[(int) (i + t * stride)] - max) / z;
        }
        return new Nd(out, shape.clone());
    }

    /** Layer norm over the last axis with the biased variance, as PyTorch computes it. */
    static Nd layerNorm(Nd x, double[] gain, double[] bias, double eps) {
        int c = gain.length;
        double[] out = new double[x.size()];
        for (int row = 0; row < x.size() / c; row++) {
            double mean = 0;
            for (int j = 0; j < c; j++) mean += x.data()[row * c + j];
            mean /= c;
            double var = 0;
            for (int j = 0; j < c; j++) var += Math.pow(x.data()[row * c + j] - mean, 2);
            var /= c;
            for (int j = 0; j < c; j++)
                out[row * c + j] = (x.data()[row * c + j] - mean) / Math.sqrt(var + eps) * gain[j] + bias[j];
        }
        return new Nd(out, x.shape().clone());
    }

    static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    /** Largest |expected - actual| / max(1, |expected|); shapes must match exactly. */
    static double maxRelativeError(Nd expected, Nd actual) {
        if (!Arrays.equals(expected.shape(), actual.shape()))
            throw new AssertionError("shape: expected " + Arrays.toString(expected.shape()) + ", got " + Arrays.toString(actual.shape()));
        double worst = 0;
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.data()[i], a = actual.data()[i];
            if (Double.isNaN(a) != Double.isNaN(e)) return Double.POSITIVE_INFINITY;
            worst = Math.max(worst, Math.abs(e - a) / Math.max(1, Math.abs(e)));
        }
        return worst;
    }
}
