package dev.tinygen.nn.ops;

import java.util.Arrays;
import dev.tinygen.nn.Op;
import dev.tinygen.nn.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layer normalisation over the last dimension, with gain and bias:
 * {@code y = (x - mean) / sqrt(var + eps) * gain + bias}, the biased variance as in PyTorch.
 *
 * <p>Shape: x {@code (..., C)}, gain {@code (C)}, bias {@code (C)} -> y {@code (..., C)}.
 *
 * <p>A fused Java kernel over the rows of the row-major buffer, in double arithmetic: libnd4j's {@code layer_norm}
 * has no epsilon (nearly constant rows blow up) and its {@code layer_norm_bp} was the largest single cost in a
 * transformer block (ND4J-NOTES.md). Forward saves only each row's mean and reciprocal standard deviation.
 */
public final class LayerNorm extends Op {
    /** PyTorch's default. */
    public static final double DEFAULT_EPS = 1e-5;

    private Tensor x;
    private Tensor gain;
    private Tensor bias;
    private DenseBuffer xs;
    private double[] mean;
    private double[] rstd;

    public static Tensor apply(Tensor x, Tensor gain, Tensor bias) {
        return apply(x, gain, bias, DEFAULT_EPS);
    }

    public static Tensor apply(Tensor x, Tensor gain, Tensor bias, double eps) {
        return new LayerNorm().forward(x, gain, bias, eps);
    }

    private Tensor forward(Tensor x, Tensor gain, Tensor bias, double eps) {
        if (!x.dtype().isFPType())
            throw new IllegalArgumentException("layerNorm: expected a floating-point input, got " + x.dtype());
        if (x.rank() < 1)
            throw new IllegalArgumentException("layerNorm: expected an input of rank 1 or more, got a scalar");
        Checks.sameType("layerNorm", x, gain);
        Checks.sameType("layerNorm", x, bias);
        long c = x.size(x.rank() - 1);
        if (gain.rank() != 1 || gain.size(0) != c)
            throw new IllegalArgumentException("layerNorm: expected gain of shape [%d] for input %s, got %s"
                    .formatted(c, Arrays.toString(x.shape()), Arrays.toString(gain.shape())));
        if (bias.rank() != 1 || bias.size(0) != c)
            throw new IllegalArgumentException("layerNorm: expected bias of shape [%d] for input %s, got %s"
                    .formatted(c, Arrays.toString(x.shape()), Arrays.toString(bias.shape())));
        if (!(eps >= 0) || Double.isInfinite(eps))
            throw new IllegalArgumentException("layerNorm: eps must be finite and >= 0, got " + eps);
        this.x = x;
        this.gain = gain;
        this.bias = bias;

        DenseBuffer in = DenseBuffer.of(x.value());
        DenseBuffer g = DenseBuffer.of(gain.value());
        DenseBuffer b = DenseBuffer.of(bias.value());
        DenseBuffer out = DenseBuffer.uninitialized(x.dtype(), x.shape());
        int cols = (int) c;
        int rows = cols == 0 ? 0 : in.length() / cols;
        double[] gv = new double[cols];
        double[] bv = new double[cols];
        for (int j = 0; j < cols; j++) {
            gv[j] = g.get(j);
            bv[j] = b.get(j);
        }
        mean = new double[rows];
        rstd = new double[rows];
        for (int r = 0, base = 0; r < rows; r++, base += cols) {
            double s = 0;
            for (int j = 0; j < cols; j++) s += in.get(base + j);
            double m = s / cols;
            // Two passes: the one-pass E[x^2] - E[x]^2 cancels badly when |mean| >> std.
            double v = 0;
            for (int j = 0; j < cols; j++) {
                double d = in.get(base + j) - m;
                v += d * d;
            }
            double rs = 1.0 / Math.sqrt(v / cols + eps);
            for (int j = 0; j < cols; j++) out.set(base + j, (in.get(base + j) - m) * rs * gv[j] + bv[j]);
            mean[r] = m;
            rstd[r] = rs;
        }
        xs = in;
        return output(out.as(x.dtype()), x, gain, bias);
    }

    /**
     * With {@code xhat = (x - mean) * rstd} and {@code dn = dy * gain} per row:
     * {@code dx = (dn - mean(dn) - xhat * mean(dn * xhat)) * rstd}; {@code dgain = sum_rows dy * xhat};
     * {@code dbias = sum_rows dy}.
     */
    @Override
    protected void backward(INDArray dyArray) {
        DenseBuffer dy = DenseBuffer.of(dyArray);
        DenseBuffer g = DenseBuffer.of(gain.value());
        int cols = (int) x.size(x.rank() - 1);
        int rows = mean.length;
        boolean wantX = needsGrad(x);
        boolean wantG = needsGrad(gain);
        boolean wantB = needsGrad(bias);
        double[] gv = new double[cols];
        for (int j = 0; j < cols; j++) gv[j] = g.get(j);
        double[] dg = new double[cols];
        double[] db = new double[cols];
        double[] xhat = new double[cols];
        double[] dn = new double[cols];
        DenseBuffer dx = wantX ? DenseBuffer.uninitialized(x.dtype(), x.shape()) : null;
        for (int r = 0, base = 0; r < rows; r++, base += cols) {
            double m = mean[r];
            double rs = rstd[r];
            double sumDn = 0;
            double sumDnXhat = 0;
            for (int j = 0; j < cols; j++) {
                double d = dy.get(base + j);
                double h = (xs.get(base + j) - m) * rs;
                double n = d * gv[j];
                xhat[j] = h;
                dn[j] = n;
                sumDn += n;
                sumDnXhat += n * h;
                dg[j] += d * h;
                db[j] += d;
            }
            if (wantX) {
                double meanDn = sumDn / cols;
                double meanDnXhat = sumDnXhat / cols;
                for (int j = 0; j < cols; j++) dx.set(base + j, (dn[j] - meanDn - xhat[j] * meanDnXhat) * rs);
            }
        }
        if (wantX) accumulate(x, dx.as(x.dtype()));
        if (wantG) accumulate(gain, vector(dg, gain));
        if (wantB) accumulate(bias, vector(db, bias));
    }

    private static INDArray vector(double[] v, Tensor like) {
        DenseBuffer out = DenseBuffer.uninitialized(like.dtype(), v.length);
        for (int j = 0; j < v.length; j++) out.set(j, v[j]);
        return out.as(like.dtype());
    }
}
